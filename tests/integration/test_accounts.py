"""People's accounts on both stores: Argon2id passwords, TOTP with replay refusal, recovery
codes, one-time links, single sign-on authorisation; every change an event of the access log,
every refusal leaving nothing changed."""

from __future__ import annotations

import pyotp
import pytest

from service.accounts import AccountService, Refused
from service.tenancy import Tenancy

EMAIL = "nguyen.van.a@skhcn.quangnam.gov.vn"
GOOD = "Mùa xuân 2025 đang đến"


@pytest.fixture
def accounts(tenancy: Tenancy) -> AccountService:
    now = [1_750_000_000.0]
    service = AccountService(tenancy.access, tenancy.storage.database, clock=lambda: now[0])
    service.now = now  # type: ignore[attr-defined]
    tenancy.create_tenant("quang-nam", "Quảng Nam")
    service.open(EMAIL.upper(), "Nguyễn Văn A", "dost.lan")
    return service


def _kinds(accounts: AccountService) -> list[str]:
    return [type(e).__name__ for e in accounts.access.account_events(EMAIL)]


def test_a_password_is_kept_as_an_argon2id_hash_and_checked(accounts: AccountService) -> None:
    accounts.set_password(EMAIL, GOOD, "set", "dost.lan")
    assert accounts.check_password(EMAIL.title(), GOOD) == EMAIL
    stored = accounts._credentials(EMAIL)
    assert stored is not None and stored["password_hash"].startswith("$argon2id$")
    assert GOOD not in str(stored)
    with pytest.raises(Refused) as wrong:
        accounts.check_password(EMAIL, GOOD + "!")
    assert wrong.value.code == "bad_password"
    with pytest.raises(Refused):
        accounts.check_password("nobody@x.vn", GOOD)
    assert _kinds(accounts) == ["Opened", "PasswordSet"]


@pytest.mark.parametrize("weak", ["ngắn", "nguyen.van.a2025!!", "aaaaaaaaaaaaaaaa", "x" * 300])
def test_weak_passwords_are_refused_and_record_nothing(accounts: AccountService,
                                                       weak: str) -> None:
    with pytest.raises(Refused) as refused:
        accounts.set_password(EMAIL, weak, "set", "dost.lan")
    assert refused.value.code.startswith("password_")
    assert _kinds(accounts) == ["Opened"]
    assert accounts._credentials(EMAIL) is None


def test_totp_codes_are_accepted_once_and_recovery_codes_once(accounts: AccountService) -> None:
    now = accounts.now  # type: ignore[attr-defined]
    enrolment = accounts.begin_enrolment(EMAIL)
    totp = pyotp.TOTP(enrolment.secret)
    with pytest.raises(Refused):
        accounts.enrol(EMAIL, enrolment.secret, "000000" if totp.at(now[0]) != "000000"
                       else "111111")
    codes = accounts.enrol(EMAIL, enrolment.secret, totp.at(now[0]))
    assert len(set(codes)) == 10 and accounts.has_second_factor(EMAIL)
    with pytest.raises(Refused) as replay:  # the code used to enrol
        accounts.verify_second_factor(EMAIL, totp.at(now[0]))
    assert replay.value.code == "replayed_code"
    now[0] += 30
    assert accounts.verify_second_factor(EMAIL, totp.at(now[0])) == "totp"
    with pytest.raises(Refused) as again:
        accounts.verify_second_factor(EMAIL, totp.at(now[0]))
    assert again.value.code == "replayed_code"
    now[0] += 600
    with pytest.raises(Refused) as expired:  # a code of ten minutes ago
        accounts.verify_second_factor(EMAIL, totp.at(now[0] - 600))
    assert expired.value.code == "bad_code"
    assert accounts.verify_second_factor(EMAIL, codes[0]) == "recovery_code"
    with pytest.raises(Refused):
        accounts.verify_second_factor(EMAIL, codes[0])
    accounts.reset_second_factor(EMAIL, "dost.lan")
    assert not accounts.has_second_factor(EMAIL)
    with pytest.raises(Refused) as gone:
        accounts.verify_second_factor(EMAIL, codes[1])
    assert gone.value.code == "no_second_factor"
    assert _kinds(accounts) == ["Opened", "SecondFactorEnrolled", "RecoveryCodeUsed",
                                "SecondFactorReset"]


def test_a_reset_link_works_once_and_not_after_it_expires(accounts: AccountService) -> None:
    now = accounts.now  # type: ignore[attr-defined]
    link = accounts.issue_reset_link(EMAIL, "dost.lan", hours=1)
    assert accounts.reset_link_holder(link) == EMAIL
    with pytest.raises(Refused):
        accounts.redeem_reset_link(link, "short")
    assert accounts.redeem_reset_link(link, GOOD) == EMAIL
    with pytest.raises(Refused) as used:
        accounts.redeem_reset_link(link, GOOD + "2")
    assert used.value.code == "bad_link"
    assert accounts.check_password(EMAIL, GOOD) == EMAIL
    late = accounts.issue_reset_link(EMAIL, "dost.lan", hours=1)
    now[0] += 3601
    with pytest.raises(Refused) as expired:
        accounts.redeem_reset_link(late, GOOD + "3")
    assert expired.value.code == "expired_link"
    assert _kinds(accounts) == ["Opened", "ResetLinkIssued", "PasswordSet", "ResetLinkIssued"]


def test_single_sign_on_needs_an_administrators_authorisation_and_keeps_to_one_subject(
    accounts: AccountService,
) -> None:
    with pytest.raises(Refused) as refused:
        accounts.sso_principal(EMAIL, "https://sso.example", "sub-1")
    assert refused.value.code == "not_authorised"
    with pytest.raises(Refused):
        accounts.sso_principal("stranger@x.vn", "https://sso.example", "sub-9")
    accounts.authorise_sso(EMAIL, "dost.lan")
    assert accounts.sso_principal(EMAIL, "https://sso.example", "sub-1") == EMAIL
    assert accounts.sso_principal(EMAIL, "https://sso.example", "sub-1") == EMAIL
    with pytest.raises(Refused) as other:
        accounts.sso_principal(EMAIL, "https://sso.example", "sub-2")
    assert other.value.code == "other_identity"
    assert _kinds(accounts) == ["Opened", "SsoAuthorised", "SsoLinked"]


def test_administrators_and_a_tenants_policy_require_a_second_factor(
    accounts: AccountService,
) -> None:
    access = accounts.access
    access.create_principal("admin@quangnam.gov.vn", "Quản trị", "setup")
    access.grant("admin@quangnam.gov.vn", "tenant_admin", "quang-nam", "", "setup")
    access.grant(EMAIL, "auditor", "quang-nam", "", "setup")
    assert accounts.second_factor_required("admin@quangnam.gov.vn")
    assert not accounts.second_factor_required(EMAIL)
    accounts.require_second_factor("quang-nam", True, "admin@quangnam.gov.vn")
    assert accounts.second_factor_required(EMAIL)
    accounts.require_second_factor("quang-nam", False, "admin@quangnam.gov.vn")
    assert not accounts.second_factor_required(EMAIL)
