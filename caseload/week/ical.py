"""Writing an iCalendar (RFC 5545) feed: appointments as timed events, due items as all-day
events. Only client codes, kinds, times and places: never names, notes or employers.

Written by hand (no runtime dependency): the format needs escaping (3.3.11), CRLF line ends
and lines folded at 75 octets (3.1); tests/test_calendar_feed.py parses the result with the
`icalendar` package."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

PRODID = "-//Caseload//My week//EN"


def escape(text: str) -> str:
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space, never
    splitting a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def timed_event(uid: str, start: datetime, end: datetime, summary: str, location: str,
                stamp: datetime, status: str = "CONFIRMED") -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_utc(stamp)}", f"DTSTART:{_utc(start)}",
             f"DTEND:{_utc(end)}", f"SUMMARY:{escape(summary)}", f"STATUS:{status}"]
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    return lines + ["END:VEVENT"]


def day_event(uid: str, day: date, summary: str, stamp: datetime) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape(summary)}", "TRANSP:TRANSPARENT", "END:VEVENT"]


def calendar(name: str, events: list[list[str]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
