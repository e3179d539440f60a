"""The tamper-evidence commands of `r57`, on both stores: output, --json, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from service.config import Settings
from service.tenancy import Tenancy
from tests.integrity.conftest import Intruder


class Cli:
    def __init__(self, settings: Settings, capsys: pytest.CaptureFixture[str],
                 key_dir: Path) -> None:
        self.settings, self.capsys, self.key_dir = settings, capsys, key_dir

    def __call__(self, *argv: str, keyed: bool = True) -> tuple[int, str, str]:
        extra = ["--key-dir", str(self.key_dir)] if keyed else []
        code = main([*argv, *extra], settings=self.settings)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *argv: str, keyed: bool = True) -> object:
        code, out, err = self(*argv, "--json", keyed=keyed)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(settings: Settings, capsys: pytest.CaptureFixture[str], key_dir: Path,
        seed_path: Path) -> Cli:
    cli = Cli(settings, capsys, key_dir)
    assert cli("tenant", "create", "quang-nam", "Quảng Nam", keyed=False)[0] == 0
    code, _, err = cli("plan", "import", "quang-nam", str(seed_path), keyed=False)
    assert code == 0, err
    return cli


def test_chain_checkpoint_export_and_verify_from_the_command_line(cli: Cli,
                                                                  tmp_path: Path) -> None:
    code, out, _ = cli("chain", "quang-nam")
    assert code == 0 and "141 entries up to position 141" in out
    signed = cli.json("checkpoint", "quang-nam")
    assert isinstance(signed, dict) and len(signed["key_id"]) == 64
    keys = cli.json("keys", "list")
    assert isinstance(keys, dict) and keys["keys"][0]["key_id"] == signed["key_id"]
    bundle = tmp_path / "quang-nam.zip"
    code, out, _ = cli("export", "quang-nam", str(bundle))
    assert code == 0 and "141 entries and 1 checkpoints" in out
    code, out, _ = cli("verify", str(bundle), "--trust", signed["key_id"], keyed=False)
    assert code == 0 and out.startswith("OK: bundle")
    code, out, _ = cli("verify", "--live", "quang-nam")
    assert code == 0 and "1 signed checkpoints verified" in out


def test_live_verification_names_the_tampered_event_and_exits_non_zero(
    cli: Cli, tenancy: Tenancy
) -> None:
    assert cli("checkpoint", "quang-nam")[0] == 0
    Intruder(tenancy).flip_one_byte(12)
    code, out, err = cli("verify", "--live", "quang-nam")
    assert code == 1
    assert out.startswith("FAILED: tenant quang-nam: first failure at position 12:")
    assert "position 12" in err
    report = json.loads(cli("verify", "--live", "quang-nam", "--json")[1])
    assert report["first_failure"]["position"] == 12 and not report["ok"]


def test_verifying_against_an_earlier_bundle_locates_a_wholesale_forgery(
    cli: Cli, tenancy: Tenancy, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.zip"
    assert cli("export", "quang-nam", str(earlier))[0] == 0
    intruder = Intruder(tenancy)
    intruder.rewrite_from(100)
    intruder.wipe_everything()
    assert cli("chain", "quang-nam")[0] == 0
    assert cli("verify", "--live", "quang-nam")[0] == 0  # nothing left in the database to tell
    code, out, _ = cli("verify", "--live", "quang-nam", "--against", str(earlier))
    assert code == 1 and "first failure at position 100" in out
    code, _, err = cli("checkpoint", "quang-nam")
    assert code == 1 and "rewritten" in err


def test_keys_rotate_and_old_checkpoints_still_verify(cli: Cli) -> None:
    old = cli.json("checkpoint", "quang-nam")
    rotated = cli.json("keys", "rotate")
    assert isinstance(old, dict) and isinstance(rotated, dict)
    assert rotated["key_id"] != old["key_id"]
    keys = cli.json("keys", "list")
    assert isinstance(keys, dict)
    assert {(k["key_id"], k["current"]) for k in keys["keys"]} == {
        (old["key_id"], False), (rotated["key_id"], True)}
    assert cli("verify", "--live", "quang-nam")[0] == 0


def test_proofs_are_printed_and_checked_offline(cli: Cli, tmp_path: Path) -> None:
    assert cli("checkpoint", "quang-nam")[0] == 0
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(cli.json("keys", "list")))
    proof = tmp_path / "proof.json"
    proof.write_text(json.dumps(cli.json("proof", "inclusion", "quang-nam", "7")))
    code, out, _ = cli("proof", "check", str(proof), "--keys", str(keys), keyed=False)
    assert code == 0 and out.startswith("OK")
    doc = json.loads(proof.read_text())
    doc["position"] = 8
    proof.write_text(json.dumps(doc))
    assert cli("proof", "check", str(proof), "--keys", str(keys), keyed=False)[0] == 1
    code, _, err = cli("proof", "inclusion", "quang-nam", "999")
    assert code == 4 and "position" in err


def test_checkpoint_all_signs_every_tenant_and_needs_a_tenant_or_all(cli: Cli) -> None:
    outcome = cli.json("checkpoint", "--all")
    assert isinstance(outcome, dict) and outcome["quang-nam"].startswith("signed")
    code, _, err = cli("checkpoint")
    assert code == 1 and "--all" in err


def test_a_bundle_that_cannot_be_read_is_an_error(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"junk")
    code, _, err = cli("verify", str(junk), keyed=False)
    assert code == 1 and "not a readable bundle" in err


def test_rebuild_checkpoint_and_export_refuse_a_tampered_log_unless_insisted(
    cli: Cli, tenancy: Tenancy, tmp_path: Path
) -> None:
    Intruder(tenancy).flip_one_byte(77)
    for argv in (("projections", "rebuild", "quang-nam"), ("checkpoint", "quang-nam"),
                 ("export", "quang-nam", str(tmp_path / "b.zip"))):
        code, _, err = cli(*argv, keyed=argv[0] != "projections")
        assert code == 1 and "position 77" in err and "--despite-tampering" in err, argv
    code, _, err = cli("projections", "rebuild", "quang-nam", "--despite-tampering",
                         keyed=False)
    assert code == 0, err
