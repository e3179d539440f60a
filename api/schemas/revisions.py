"""A plan revised by an amending document: the form that sends it, and the differences."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import (
    FlexibleDate,
    RenderedMessage,
    RowProblemSchema,
    Strict,
    Upload,
    required_text,
    text,
)
from domain.revision import COUNTED, KINDS, UNCHANGED


class PlanReviseFormSchema(Strict):
    file = Upload(metadata={
        "description": "The revised plan, or the amending decision with its list of tasks: "
                       ".txt, .docx, .doc, .odt, .pdf, .csv or .xlsx. Or name an upload kept "
                       "by a plan preview in `upload`."})
    upload = fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$"), metadata={
        "description": "The SHA-256 of a file uploaded to the plan preview (kept 24 hours)."})
    plan = required_text(100, metadata={
        "description": "The number of the plan revised, e.g. 1534/KH-UBND."})
    amending = required_text(300, metadata={
        "description": "The amending document every change cites, e.g. "
                       "Quyết định số 245/QĐ-UBND."})
    amending_on = FlexibleDate(load_default=None, metadata={
        "description": "The amending document's date."})
    effective_on = FlexibleDate(metadata={
        "description": "When the changes take effect; default the amending document's date, "
                       "else the revised document's own."})
    reason = text(2000, load_default="", metadata={
        "description": "Why; default: the plan adjusted by the amending document."})
    accept_problems = fields.Boolean(load_default=False, metadata={
        "description": "Record even if some rows of the document could not be read."})
    listed_only = fields.Boolean(load_default=False, metadata={
        "description": "The document lists only the tasks it amends or adds: the tasks it "
                       "leaves out stay as they are (false: they are removed)."})
    preview = fields.Boolean(load_default=False, metadata={
        "description": "true: answer the differences and record nothing."})


class RevisionSideSchema(Strict):
    title = fields.String(required=True)
    expected_output = fields.String(required=True)
    leads = fields.List(fields.String(), required=True)
    coordinators = fields.List(fields.String(), required=True)
    deadline = fields.String(required=True, metadata={"description": "As written."})


class NewGroupSchema(Strict):
    code = fields.String(required=True, metadata={"description": "Its code: II."})
    title = fields.String(required=True)


class RevisionChangeSchema(Strict):
    task = fields.String(required=True, metadata={
        "description": "The task's number in the ledger (for a task added: the one it gets)."})
    written_number = fields.String(required=True, allow_none=True, metadata={
        "description": "Its number in the revised document (tasks after one dropped move "
                       "up); null for a task removed."})
    group = fields.String(required=True)
    kinds = fields.List(fields.String(validate=validate.OneOf((*KINDS, UNCHANGED))),
                        required=True)
    applicable = fields.Boolean(required=True, metadata={
        "description": "false: the task is completed or cancelled and stays as it is."})
    similarity = fields.Float(required=True, metadata={
        "description": "How alike the two wordings are, 0 to 1."})
    before = fields.Nested(RevisionSideSchema, required=True, allow_none=True)
    after = fields.Nested(RevisionSideSchema, required=True, allow_none=True)
    moved_to = fields.Nested(NewGroupSchema, required=True, allow_none=True, metadata={
        "description": "The group the task moves to (kind group_changed), else null; "
                       "`group` is the one it leaves."})


class RevisedTargetSchema(Strict):
    indicator = fields.String(required=True, metadata={"description": "Its code: 7.1."})
    name = fields.String(required=True)
    before = fields.String(required=True, metadata={"description": "The target as written."})
    after = fields.String(required=True)


class RenamedGroupSchema(Strict):
    code = fields.String(required=True)
    before = fields.String(required=True, metadata={"description": "The title it had."})
    after = fields.String(required=True, metadata={"description": "The title it gets."})


class AddedIndicatorSchema(Strict):
    indicator = fields.String(required=True, metadata={"description": "Its code: 7.10."})
    name = fields.String(required=True)
    unit = fields.String(required=True)
    target = fields.String(required=True, metadata={"description": "As written."})


class RemovedIndicatorSchema(Strict):
    indicator = fields.String(required=True)
    name = fields.String(required=True)
    target = fields.String(required=True, metadata={"description": "The target it had."})


class RevisionDocumentSchema(Strict):
    number = fields.String(required=True, allow_none=True)
    issued_on = fields.String(required=True, allow_none=True, metadata={"format": "date"})
    source_format = fields.String(required=True)
    tasks = fields.Integer(required=True)


class PlanRevisionSchema(Strict):
    plan = fields.String(required=True)
    sha256 = fields.String(required=True)
    recorded = fields.Boolean(required=True, metadata={
        "description": "Whether this request recorded the changes (false for a preview, or "
                       "when the document was recorded against the plan before)."})
    recorded_already = fields.Boolean(required=True)
    document = fields.Nested(RevisionDocumentSchema, required=True)
    counts = fields.Dict(keys=fields.String(validate=validate.OneOf(COUNTED)),
                         values=fields.Integer(), required=True, metadata={
                             "description": "Tasks per kind of change recorded, then groups "
                                            "renamed and indicators added, removed or "
                                            "given another target."})
    changes = fields.List(fields.Nested(RevisionChangeSchema), required=True)
    unchanged = fields.Integer(required=True)
    targets = fields.List(fields.Nested(RevisedTargetSchema), required=True, metadata={
        "description": "Indicators whose target the document writes otherwise."})
    groups_renamed = fields.List(fields.Nested(RenamedGroupSchema), required=True, metadata={
        "description": "Groups of the plan the document heads otherwise, same code."})
    indicators_added = fields.List(fields.Nested(AddedIndicatorSchema), required=True,
                                   metadata={"description": "Indicators the plan lacks."})
    indicators_removed = fields.List(fields.Nested(RemovedIndicatorSchema), required=True,
                                     metadata={"description": "Indicators the document "
                                               "leaves out: kept, no longer counted."})
    new_groups = fields.List(fields.Nested(NewGroupSchema), required=True)
    new_agencies = fields.List(fields.String(), required=True)
    warnings = fields.List(RenderedMessage(), required=True)
    problems = fields.List(fields.Nested(RowProblemSchema), required=True)
    position = fields.Integer(required=True, allow_none=True)
    events = fields.Integer(required=True)
