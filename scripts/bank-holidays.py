#!/usr/bin/env python3
"""Writes the UK bank holidays that ship with Casedesk, in the format of GOV.UK's
https://www.gov.uk/bank-holidays.json, from the `holidays` package on PyPI (which tracks the
proclamations, the moved and one-off days included). Administrators upload GOV.UK's own file
for later years; this only seeds a new installation.

    python3 -m venv /tmp/hv && /tmp/hv/bin/pip install 'holidays==0.109'
    /tmp/hv/bin/python scripts/bank-holidays.py > crates/domain/src/calendar/bank-holidays.json

A day that falls on a weekend is listed only as its substitute weekday (notes "Substitute
day"), as GOV.UK lists them. Scotland's holidays that are public but not bank holidays (such
as a proposed football holiday) are left out: GOV.UK's file lists bank holidays only.
"""
import json
import sys

import holidays

FIRST, LAST = 2018, 2028
DIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
# GOV.UK's titles for the days the package names otherwise.
TITLES = {
    "New Year's Day": "New Year’s Day",
    "New Year Holiday": "2nd January",
    "May Day": "Early May bank holiday",
    "Spring Bank Holiday": "Spring bank holiday",
    "Late Summer Bank Holiday": "Summer bank holiday",
    "Summer Bank Holiday": "Summer bank holiday",
    "Saint Andrew's Day": "St Andrew’s Day",
    "Saint Patrick's Day": "St Patrick’s Day",
    "Battle of the Boyne": "Battle of the Boyne (Orangemen’s Day)",
}
LEFT_OUT = ("FIFA",)


def events(code):
    days = holidays.UK(subdiv=code, years=range(FIRST, LAST + 1))
    out = []
    for day, name in sorted(days.items()):
        if any(word in name for word in LEFT_OUT):
            continue
        name = name.split("; ")[0]  # two holidays on one day: GOV.UK lists one title
        substitute = name.endswith(" (observed)")
        base = name.removesuffix(" (observed)")
        if day.weekday() >= 5:
            continue  # its substitute weekday is listed instead
        out.append({
            "title": TITLES.get(base, base),
            "date": day.isoformat(),
            "notes": "Substitute day" if substitute else "",
            "bunting": base not in ("Good Friday",),
        })
    return out


json.dump(
    {division: {"division": division, "events": events(code)} for division, code in DIVISIONS.items()},
    sys.stdout,
    ensure_ascii=False,
    indent=1,
)
sys.stdout.write("\n")
