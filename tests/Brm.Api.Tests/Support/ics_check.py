"""Reads an iCalendar object on stdin and checks it as a second, independent reader (not Ical.Net, which wrote it).

First the content lines, by RFC 5545 section 3.1: every line ends in CRLF (no bare CR or LF), no line is longer than 75
octets, BEGIN and END pair up. Then Python's icalendar package (Debian's python3-icalendar) parses it, and the required
properties are checked: PRODID and VERSION:2.0 on the calendar; UID, DTSTAMP and DTSTART on every VEVENT. On success it
prints the calendar as JSON (its properties, and each component's); on a failure it prints why and exits 1.
"""
import json
import sys

from icalendar import Calendar


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def content_lines(data):
    if not data.endswith(b"\r\n"):
        fail("the object does not end with CRLF")
    physical = data[:-2].split(b"\r\n")
    for number, line in enumerate(physical, 1):
        if b"\n" in line or b"\r" in line:
            fail(f"line {number} holds a bare CR or LF")
        if len(line) > 75:
            fail(f"line {number} is {len(line)} octets long, more than 75")
    logical = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            if not logical:
                fail("the object starts with a continuation line")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack = []
    for line in logical:
        name, _, value = line.partition(b":")
        if name == b"BEGIN":
            stack.append(value)
        elif name == b"END":
            if not stack or stack.pop() != value:
                fail(f"END:{value.decode()} does not close what was begun")
    if stack:
        fail(f"BEGIN:{stack[-1].decode()} is never ended")
    return [line.decode("utf-8") for line in logical]


def value(prop):
    if prop is None:
        return None
    if hasattr(prop, "dt"):
        dt = prop.dt
        return {"value": dt.isoformat(), "date": not hasattr(dt, "hour")}
    if isinstance(prop, list):
        return [value(p) for p in prop]
    params = dict(prop.params) if hasattr(prop, "params") else {}
    return {"value": str(prop), "params": {k: str(v) for k, v in params.items()}} if params else str(prop)


def main():
    data = sys.stdin.buffer.read()
    content_lines(data)
    calendar = Calendar.from_ical(data)
    if calendar.name != "VCALENDAR":
        fail(f"the object is a {calendar.name}, not a VCALENDAR")
    if not calendar.get("PRODID") or str(calendar.get("VERSION")) != "2.0":
        fail("the calendar lacks PRODID or VERSION:2.0")
    components = []
    for component in calendar.walk():
        if component is calendar:
            continue
        if component.name == "VEVENT":
            for required in ("UID", "DTSTAMP", "DTSTART"):
                if component.get(required) is None:
                    fail(f"a VEVENT has no {required}")
        entry = {"component": component.name}
        for key in component.keys():
            prop = component.get(key)
            entry[key] = value(prop)
        if component.get("ATTENDEE") is not None and not isinstance(entry["ATTENDEE"], list):
            entry["ATTENDEE"] = [entry["ATTENDEE"]]
        components.append(entry)
    print(json.dumps({
        "properties": {key: str(calendar.get(key)) for key in calendar.keys()},
        "components": components,
    }))


main()
