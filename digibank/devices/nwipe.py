"""Read the disks an nwipe log file reports as erased or failed.

nwipe (https://github.com/martijnvanbrummelen/nwipe) writes a log with ``--logfile``; it
appends, so one file can hold several sessions. The subset we support, and rely on:

- timestamped lines ``[YYYY/MM/DD HH:MM:SS] <level>: <message>`` (the level padded with spaces;
  very old versions write ``[...] nwipe: <level>: ...``). Times are the wiping machine's local
  time; we read them in the network's time zone.
- the version line ``nwipe 0.35`` (optional) → tool "nwipe 0.35";
- per disk, ``Found /dev/sda, ATA-SSD, <model>, <size>, S/N=<serial>`` (0.28 and later) or
  ``/dev/sda has serial number <serial>`` (older versions);
- the **Drive Status** summary table nwipe prints when the wipe ends::

      !   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number
      --------------------------------------------------------------------------------
             sda | Erased |  412MB/s | 00:10:07 | Samsung SSD 860 E/S3YJNB0K512345A
      !      sdb |-FAILED-|   98MB/s | 01:28:15 | WDC WD5000LPCX-24/WD-WCC4N1234567
      --------------------------------------------------------------------------------
      [2024/01/15 11:40:27] Total Throughput 1720MB/s, DoD Short, 1R+B+VL

  A row's status "Erased" is a successful wipe; anything else ("-FAILED-", "FAILED", "Failed",
  "UABORTED", "INSANITY") is a failed one. The last line names the method, the number of rounds,
  blanking (B/NB) and verification (VL last pass, VA all passes, NV none). Very old logs that
  name the method only in ``Invoking method 'X' on /dev/sda`` are read too.

Per disk we also keep when it started (its ``Invoking method`` / ``Starting round`` line, else
the end minus the table's HH:MM:SS), the number of overwrite passes (``Starting pass 1/3`` lines,
else what the method writes: DoD Short is three passes per round, not one), the rounds, the
verification and blanking options and the nwipe version.

A disk's serial comes from its ``Found``/``has serial number`` line of the same session, else
from the table's "model/serial" column (split at the last "/"). Serials anonymised with
``nwipe -q`` (all X or ?) count as missing. The "Error Summary" table is ignored; a log without
a Drive Status table (the wipe did not finish) yields no disks and a warning.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import VerifyMode, WipeMethod

MAX_BYTES = 20 * 1024 * 1024

TIMESTAMP = re.compile(r"^\[(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})\]\s?(.*)$")
LEVEL = re.compile(r"^\s*(?:nwipe:\s*)?(?:debug|info|notice|warning|error|fatal|sanity):\s?", re.I)
VERSION = re.compile(r"^nwipe (?:version )?v?(\d+\.\d+(?:\.\d+)?)\b", re.I)
FOUND = re.compile(r"^Found (/dev/\S+?),\s*([^,]*),\s*(.*),\s*([^,]*),\s*S/N=\s*(.*?)\s*$")
FOUND_LOOSE = re.compile(r"^Found (/dev/\S+?),.*?S/N=\s*(\S*)")
HAS_SERIAL = re.compile(r"^(/dev/\S+) has serial number\s+(.*?)\s*$")
INVOKING = re.compile(r"Invoking method '([^']+)' on (/dev/\S+)")
STARTING = re.compile(r"^Starting (?:round|pass) .*? on (/dev/\S+?)\.?$", re.I)
PASS_OF = re.compile(r"^Starting pass \d+\s*/\s*(\d+).*? on (/dev/\S+?)\.?$", re.I)
DEVICE_MENTION = re.compile(r"/dev/([\w-]+)")
TABLE_HEADER = re.compile(r"Device\s*\|\s*Status\s*\|", re.I)
ROW = re.compile(
    r"^\s*(!)?\s*([\w/-]+)\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|\s*(\d+:\d{2}:\d{2})\s*\|\s*(.*?)\s*$"
)
TOTAL = re.compile(
    r"Total Throughput\s+([^,]*),\s*(.+?),\s*(\d+)R\+(N?B)\+(\w+)\s*$",
    re.I,
)
ANONYMISED = re.compile(r"^[X?]+$")

VERIFY_TEXT = {"VL": "last pass verified", "VA": "all passes verified", "NV": "not verified"}
VERIFY_MODES = {"VL": VerifyMode.LAST, "VA": VerifyMode.ALL, "NV": VerifyMode.NONE}
BLANK_TEXT = {"B": "blanking pass", "NB": "no blanking pass"}
# Overwrite passes per round of nwipe's methods (its method labels, lower case), not counting the
# final blanking pass. DoD Short is three passes; a log that says "1R" means one round of three.
METHOD_PASSES = {
    "fill with zeros": 1,
    "zero fill": 1,
    "fill with ones": 1,
    "one fill": 1,
    "prng stream": 1,
    "random": 1,
    "dod short": 3,
    "dod 5220.22-m": 7,
    "dod 5220-22-m": 7,
    "rcmp tssit ops-ii": 8,
    "gutmann wipe": 35,
    "gutmann": 35,
    "hmg is5 enhanced": 3,
    "schneier wipe": 7,
    "bruce schneier 7-pass": 7,
}


class NwipeError(ValueError):
    """The upload is not an nwipe log we can read."""


@dataclass
class WipedDisk:
    device_name: str
    model: str
    serial: str
    status: str
    succeeded: bool
    performed_at: datetime.datetime
    method_label: str = ""
    rounds: int | None = None
    options: str = ""
    duration: str = ""
    throughput: str = ""
    tool: str = "nwipe"
    serial_anonymised: bool = False
    started_at: datetime.datetime | None = None
    logged_passes: int | None = None  # from the "Starting pass 1/3" lines, when the log has them

    @property
    def version(self) -> str:
        return self.tool.removeprefix("nwipe").strip()

    @property
    def passes(self) -> int | None:
        """Overwrite passes in all: the log's own count, else the method's passes times the rounds."""
        per_round = self.logged_passes or METHOD_PASSES.get(self.method_label.strip().lower())
        if per_round is None:
            return None
        return per_round * (self.rounds or 1)

    @property
    def verify_mode(self) -> str:
        return VERIFY_MODES.get(self.options.partition("+")[2], "")

    @property
    def blanking(self) -> bool | None:
        blank = self.options.partition("+")[0]
        return {"B": True, "NB": False}.get(blank)

    @property
    def method(self) -> str | None:
        """The NIST SP 800-88 category of the nwipe method; None for a verify-only run (no wipe)."""
        return nist_method(self.method_label)

    @property
    def verification(self) -> str:
        parts = [self.method_label or "method not in log"]
        if self.passes is not None:
            parts.append(f"{self.passes} pass(es)")
        if self.rounds is not None:
            parts.append(f"{self.rounds} round(s)")
        blank, _plus, verify = self.options.partition("+")
        if blank in BLANK_TEXT:
            parts.append(BLANK_TEXT[blank])
        if verify in VERIFY_TEXT:
            parts.append(VERIFY_TEXT[verify])
        if self.duration:
            parts.append(f"took {self.duration}")
        parts.append(f"nwipe status {self.status}")
        return ", ".join(parts)[:300]


@dataclass
class NwipeLog:
    disks: list[WipedDisk] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def nist_method(label: str) -> str | None:
    text = label.lower()
    if text.startswith("verify"):  # "Verify Zeros", "Verify Ones", "Verify only": reads, writes nothing
        return None
    if any(w in text for w in ("secure erase", "sanitize", "sanitise", "crypto", "format")):
        return WipeMethod.PURGE
    # Every overwriting method of nwipe (zeros, ones, PRNG stream, DoD, Gutmann, RCMP OPS-II,
    # Schneier, HMG IS5) is a NIST SP 800-88 "Clear" of the user-addressable area.
    return WipeMethod.CLEAR


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    if len(raw) > MAX_BYTES:
        raise NwipeError(_("The file is larger than 20 MB; an nwipe log is much smaller."))
    if b"\x00" in raw[:4096]:
        raise NwipeError(_("This is not a text file. Upload the log nwipe wrote with --logfile."))
    # Serials come straight from the disk's firmware: a byte that is no UTF-8 is kept visibly as
    # "\x82" (the spelling lib.serials gives the same key as the raw character), never guessed.
    return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="backslashreplace")


def _aware(match: re.Match) -> datetime.datetime | None:
    try:
        naive = datetime.datetime(*(int(g) for g in match.groups()[:6]))
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_current_timezone())


def _minus(end: datetime.datetime, duration: str) -> datetime.datetime | None:
    """The start of a wipe from its end and the table's HH:MM:SS."""
    try:
        hours, minutes, seconds = (int(p) for p in duration.split(":"))
    except ValueError:
        return None
    return end - datetime.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _short(device: str) -> str:
    return device.removeprefix("/dev/")


@dataclass
class _Session:
    serials: dict[str, str] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    last_seen: dict[str, datetime.datetime] = field(default_factory=dict)
    started: dict[str, datetime.datetime] = field(default_factory=dict)
    passes: dict[str, int] = field(default_factory=dict)


def parse(raw: bytes | str) -> NwipeLog:
    """The disks of every Drive Status table in the log. Raises NwipeError for a file that is no log."""
    text = _decode(raw)
    result = NwipeLog()
    session = _Session()
    tool = "nwipe"
    last_ts: datetime.datetime | None = None
    rows: list[tuple[str, str, str, str, str, bool]] = []
    in_table = False
    saw_nwipe_line = False

    for raw_line in text.splitlines():
        line = raw_line.rstrip()
        ts_match = TIMESTAMP.match(line)
        message = line
        if ts_match:
            saw_nwipe_line = True
            last_ts = _aware(ts_match) or last_ts
            message = LEVEL.sub("", ts_match.group(7), count=1)
            message = LEVEL.sub("", message, count=1).strip()

        if in_table:
            if total := TOTAL.search(message if ts_match else line):
                _finish_table(result, session, rows, total, last_ts, tool)
                # The table ends a session; a later one (nwipe appends to its log) starts afresh.
                rows, in_table, session = [], False, _Session()
                continue
            if row := ROW.match(line):
                device, status, throughput, duration, model_serial = row.group(2, 3, 4, 5, 6)
                rows.append((device, status.strip(), throughput, duration, model_serial, bool(row.group(1))))
            continue

        if TABLE_HEADER.search(line) and "Thru-put" in line:
            in_table, rows = True, []
            continue
        if not ts_match:
            continue
        if version := VERSION.match(message):
            tool = f"nwipe {version.group(1)}"
        elif found := FOUND.match(message):
            device = _short(found.group(1))
            if device in session.serials and session.last_seen.get(device):
                session = _Session()  # a device found again: a new session appended to the file
            session.models[device] = found.group(3).strip()
            session.serials[device] = found.group(5).strip()
        elif found := FOUND_LOOSE.match(message):
            session.serials[_short(found.group(1))] = found.group(2).strip()
        elif has_serial := HAS_SERIAL.match(message):
            session.serials[_short(has_serial.group(1))] = has_serial.group(2).strip()
        elif invoking := INVOKING.search(message):
            session.methods[_short(invoking.group(2))] = invoking.group(1)
            if last_ts is not None:
                session.started.setdefault(_short(invoking.group(2)), last_ts)
        elif starting := STARTING.match(message):
            if last_ts is not None:
                session.started.setdefault(_short(starting.group(1)), last_ts)
            if pass_of := PASS_OF.match(message):
                session.passes[_short(pass_of.group(2))] = int(pass_of.group(1))
        for mention in DEVICE_MENTION.findall(message):
            if last_ts is not None and mention in session.serials:
                session.last_seen[mention] = last_ts

    if in_table and rows:
        # A table without its closing "Total Throughput" line (a cut-off log): keep what it says.
        _finish_table(result, session, rows, None, last_ts, tool)
        result.warnings.append(_("The summary table is incomplete; the method could not be read."))
    if not saw_nwipe_line:
        raise NwipeError(_("This does not look like an nwipe log: no timestamped nwipe lines were found."))
    if not result.disks:
        result.warnings.append(
            _("The log has no “Drive Status” summary table: nwipe writes it when the wipe has ended.")
        )
    return result


def _finish_table(result: NwipeLog, session: _Session, rows, total, table_ts, tool: str) -> None:
    for device, status, throughput, duration, model_serial, _flag in rows:
        model_part, _slash, serial_part = model_serial.rpartition("/")
        if not _slash:
            model_part, serial_part = model_serial, ""
        serial = session.serials.get(device) or serial_part.strip()
        model = session.models.get(device) or model_part.strip()
        anonymised = bool(serial) and bool(ANONYMISED.match(serial))
        performed_at = session.last_seen.get(device) or table_ts
        if performed_at is None:
            result.warnings.append(
                _("No time was found for %(device)s; it was skipped.") % {"device": device}
            )
            continue
        disk = WipedDisk(
            device_name=device,
            model=model,
            serial="" if anonymised else serial,
            serial_anonymised=anonymised,
            status=status.strip("- ").strip() or status,
            succeeded=status.strip("- ").strip().lower() == "erased",
            performed_at=performed_at,
            duration=duration,
            throughput=throughput.strip(),
            tool=tool,
            started_at=session.started.get(device) or _minus(performed_at, duration),
            logged_passes=session.passes.get(device),
        )
        if disk.started_at is not None and disk.started_at > performed_at:
            disk.started_at = None
        if total is not None:
            disk.method_label = total.group(2).strip()
            disk.rounds = int(total.group(3))
            disk.options = f"{total.group(4)}+{total.group(5)}"
        else:
            disk.method_label = session.methods.get(device, "")
        result.disks.append(disk)
