"""What no schema can say, supplied to schemathesis so a schema-valid request is a request the
server can accept: references to records that exist, a password strong enough for zxcvbn,
times not in the future, one grant per area, each query once in a bulk change, a team's leaders
among its members, a calendar's weekdays once each with shifts in order and closures that end
after they start, service-level targets on a calendar that exists, escalation to a team that
exists, a workflow definition that makes sense (the default one), and a fresh Idempotency-Key
per request. It changes only values that are already schema-valid, so a case generated to be
invalid stays invalid."""
import datetime
import json
import os
import re
import uuid

import schemathesis

IDS = json.loads(os.environ["CASEDESK_FUZZ_IDS"])
UUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
# Fields that name a stored record, and the record the fuzzer created for each.
REFERENCES = {
    "customer_id": IDS["customer"],
    "survivor_id": IDS["customer"],
    "recipient_id": IDS["user"],
    "assignee_id": IDS["user"],
    "team_id": IDS["team"],
    "type_id": IDS["query_type"],
    "parent_id": IDS["query_type"],
    "status_id": IDS["status"],
    "group_id": IDS["group"],
}
LISTS = {"group_ids": IDS["group"], "member_ids": IDS["user"]}
# Built in, or shipped, in every organisation.
ALWAYS_CALENDAR = "00000000-0000-7000-8000-000000000001"
SEVERITY_1_POLICY = "00000000-0000-7000-8000-000000000011"
# The most a service-level target may be in each unit (the schema's maximum is the minutes').
UNIT_MOST = {"business_hours": 8760, "calendar_hours": 8760, "working_days": 260}
IDEMPOTENCY_KEY = re.compile(r"^[!-~]{1,255}$")
STRONG_PASSWORD = "violet-Harbour-lantern-4471"


def _is_id(value):
    return isinstance(value, str) and UUID.match(value) is not None


def _is_bulk_item(item):
    return (
        isinstance(item, dict)
        and set(item) == {"id", "version"}
        and _is_id(item["id"])
        and isinstance(item["version"], int)
        and not isinstance(item["version"], bool)
    )


def _is_definition(value):
    return (
        isinstance(value, dict)
        and _is_id(value.get("initial_status_id"))
        and isinstance(value.get("status_ids"), list)
        and all(_is_id(v) for v in value["status_ids"])
        and isinstance(value.get("transitions"), list)
        and all(isinstance(t, dict) for t in value["transitions"])
    )


def _past(value):
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return value
    now = datetime.datetime.now(datetime.timezone.utc)
    if moment.tzinfo is not None and moment > now:
        return "2026-01-05T09:30:00Z"
    return value


# The fuzzer's own credentials, account and group: it learns their ids from the answers it gets
# and would otherwise revoke its token, end its session or disable itself part-way through,
# as it would by signing out (which is left out for that reason).
OWN = {IDS["token_id"], IDS["session_id"], IDS["user"], IDS["group"]}


@schemathesis.hook
def filter_case(context, case):
    if case.method.upper() in ("GET", "HEAD", "OPTIONS", "POST"):
        return True
    return not OWN & {str(v) for v in (case.path_parameters or {}).values()}


# What an upload carries: bytes of a kind the server accepts (it tells the kind from the bytes and
# refuses others, as a schema cannot say), one letter per file generated.
LETTER = b"Dear Sir or Madam,\nI write about the bins.\n"


@schemathesis.hook
def map_case(context, case):
    """Applied in every phase (coverage included), after generation."""
    files = case.body.get("files") if isinstance(case.body, dict) else None
    if isinstance(files, list) and files and all(isinstance(f, (bytes, str)) for f in files):
        case.body["files"] = [LETTER for _ in files[:5]]
    elif isinstance(case.body, dict):
        case.body = _body(case.body)
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and IDEMPOTENCY_KEY.match(key):
        # Each case is a new request: a key seen before with another body is refused, rightly.
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    return case


def _body(body):
    for field, record in REFERENCES.items():
        if _is_id(body.get(field)):
            body[field] = record
    for field, record in LISTS.items():
        if isinstance(body.get(field), list) and body[field] and all(_is_id(v) for v in body[field]):
            body[field] = [record]
    # A team's leaders are among its members (the server refuses any other): the fuzzer's user in
    # both, when both lists are valid as generated (or the members are left out).
    leaders, members = body.get("leader_ids"), body.get("member_ids", [])
    if (
        isinstance(leaders, list) and leaders and all(_is_id(v) for v in leaders)
        and isinstance(members, list) and all(_is_id(v) for v in members)
    ):
        body["leader_ids"] = [IDS["user"]]
        body["member_ids"] = [IDS["user"]]
    # A calendar's week and closures as generated may repeat a day, overlap shifts or end a
    # closure before it starts, which only the server can say: valid lists become known-good ones.
    week = body.get("week")
    if isinstance(week, list) and all(isinstance(d, dict) and "day" in d and "shifts" in d for d in week):
        body["week"] = [{"day": "monday", "shifts": [{"start": "09:00", "end": "17:00"}]}]
    closures = body.get("closures")
    if isinstance(closures, list) and all(isinstance(c, dict) and "from" in c and "to" in c for c in closures):
        body["closures"] = [
            {"from": "2026-12-24T12:00:00Z", "to": "2026-12-24T17:00:00Z", "reason": str(c.get("reason", ""))[:200]}
            for c in closures[:1]
        ]
    # Service-level targets count on a calendar that exists (the built-in 24x7 one), within the
    # unit's own range; a policy sets at least one target; conditions name the fuzzer's type;
    # an order names a policy every organisation has.
    for target_field in ("first_response", "resolution"):
        target = body.get(target_field)
        if isinstance(target, dict) and _is_id(target.get("calendar_id")):
            target["calendar_id"] = ALWAYS_CALENDAR
            unit = target.get("unit")
            amount, most = target.get("amount"), UNIT_MOST.get(unit) if isinstance(unit, str) else None
            if isinstance(amount, (int, float)) and not isinstance(amount, bool) and most and amount > most:
                target["amount"] = most
    if "due_soon" in body and body.get("first_response") is None and body.get("resolution") is None:
        body["resolution"] = {"calendar_id": ALWAYS_CALENDAR, "unit": "calendar_hours", "amount": 4}
    due_soon = body.get("due_soon")
    value = due_soon.get("value") if isinstance(due_soon, dict) else None
    if isinstance(due_soon, dict) and due_soon.get("rule") == "percent" and isinstance(value, (int, float)) and not isinstance(value, bool):
        due_soon["value"] = min(value, 99)
    conditions = body.get("conditions")
    if isinstance(conditions, dict):
        types = conditions.get("query_type_ids")
        if isinstance(types, list) and types and all(_is_id(v) for v in types):
            conditions["query_type_ids"] = [IDS["query_type"]]
    # What a breach escalates to names the fuzzer's team.
    on_breach = body.get("on_breach")
    if isinstance(on_breach, dict):
        for field in ("reassign_team_id", "notify_team_id"):
            if _is_id(on_breach.get(field)):
                on_breach[field] = IDS["team"]
    ids = body.get("ids")
    if isinstance(ids, list) and ids and all(_is_id(v) for v in ids):
        body["ids"] = [SEVERITY_1_POLICY]
    # A workflow's moves as generated may repeat, go nowhere or leave a status unreachable, which
    # only the server can say: a definition valid as generated becomes the default one.
    if _is_definition(body):
        return dict(IDS["definition"])
    if _is_definition(body.get("definition")):
        body["definition"] = dict(IDS["definition"])
        if _is_id(body.get("query_type_id")):
            body["query_type_id"] = IDS["query_type"]
    if isinstance(body.get("policy"), dict):
        body["policy"] = _body(body["policy"])
    if body.get("subject_kind") in ("query", "customer") and _is_id(body.get("subject_id")):
        body["subject_id"] = IDS["query"] if body["subject_kind"] == "query" else IDS["customer"]
    password = body.get("password")
    if isinstance(password, str) and 12 <= len(password) <= 256 and "email" in body:
        body["password"] = STRONG_PASSWORD
    for field in ("received_at", "occurred_at"):
        if field in body:
            body[field] = _past(body[field])
    # A bulk change names each query once (the server refuses a repeat), the fuzzer's own query.
    # Only a list that is valid as generated is changed, so an invalid one stays invalid.
    items = body.get("items")
    if isinstance(items, list) and 1 <= len(items) <= 100 and all(_is_bulk_item(i) for i in items):
        body["items"] = [{**items[0], "id": IDS["query"]}]
    if isinstance(body.get("change"), dict):
        body["change"] = _body(body["change"])
    for field in ("scopes", "grants"):
        items = body.get(field)
        if isinstance(items, list) and all(isinstance(i, dict) for i in items):
            seen, kept = set(), []
            for item in items:
                area = item.get("area")
                if isinstance(area, str):
                    if area in seen:
                        continue
                    seen.add(area)
                kept.append(item)
            body[field] = kept
    return body

