"""Spreadsheets as people keep them: reading an XLSX or CSV file into a header and rows.

A digibank's inventory has a title row and blank rows above the header, column names in
Dutch, French or English, formula cells, and CSV files saved by Belgian Excel (Windows-1252,
semicolons, decimal commas). This module turns such a file into ``Sheet``: the header row
(the first row that names enough known columns), its labels, and the data rows with their
spreadsheet row numbers. What the columns mean is the import's business (``imports.py``).

The words people use for a column or a value are in one place: ``COLUMN_SYNONYMS`` and
``VALUE_SYNONYMS`` below. Matching ignores case, accents and punctuation (``header_key``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

import charset_normalizer
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 30  # a title block is a few rows; a header deeper than this is not one

_NOTES = ("notes", "note", "opmerking", "opmerkingen", "notities", "commentaar", "remarque", "remarques")
_NOTES += ("commentaire", "commentaires", "comments", "remarks", "info")
_RECEIVED = ("received_on", "received", "date received", "datum ontvangst", "ontvangen op", "ontvangstdatum")
_RECEIVED += (
    "datum binnengekomen",
    "binnengekomen",
    "date de reception",
    "recu le",
    "date recu",
    "date d'arrivee",
)

# Target field -> what people write as its column name (Dutch, French, English). The field's
# own key always counts. Normalised with ``header_key``, so accents and case do not matter.
COLUMN_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "devices": {
        "kind": (
            "type",
            "soort",
            "toestel",
            "type toestel",
            "soort toestel",
            "categorie",
            "appareil",
            "type d'appareil",
            "type appareil",
            "device",
            "device type",
            "category",
        ),
        "brand": ("merk", "marque", "fabrikant", "fabricant", "manufacturer", "make"),
        "model": ("modele", "modelnaam", "model name", "nom du modele", "typenummer"),
        "serial": (
            "serial number",
            "serial no",
            "sn",
            "s/n",
            "serienummer",
            "serie nummer",
            "serienr",
            "serie nr",
            "numero de serie",
            "n° de serie",
            "nº de serie",
            "no de serie",
            "num serie",
            "n° serie",
            "serial nr",
        ),
        "batch": (
            "donation batch",
            "schenking",
            "partij",
            "lot",
            "lot de don",
            "don",
            "referentie schenking",
        ),
        "location": ("locatie", "plaats", "opslagplaats", "emplacement", "lieu", "where"),
        "condition": ("staat", "toestand", "conditie", "etat", "grade", "kwaliteit", "state"),
        "cpu": ("processor", "processeur", "proc"),
        "ram_gb": ("ram", "memory", "geheugen", "werkgeheugen", "memoire", "memoire vive", "ram geheugen"),
        "storage_gb": (
            "storage",
            "opslag",
            "schijf",
            "harde schijf",
            "opslagcapaciteit",
            "disk",
            "disque",
            "disque dur",
            "capacite",
            "capaciteit",
            "hard disk",
            "hdd ssd",
        ),
        "storage_type": (
            "type opslag",
            "type schijf",
            "schijftype",
            "type de disque",
            "disk type",
            "type stockage",
        ),
        "battery_health": (
            "battery",
            "batterij",
            "accu",
            "batterijgezondheid",
            "batterij gezondheid",
            "batterie",
            "sante batterie",
            "etat batterie",
            "battery health %",
        ),
        "os": ("operating system", "besturingssysteem", "systeme d'exploitation", "systeme", "software"),
        "keyboard_layout": ("keyboard", "toetsenbord", "clavier", "keyboard layout", "layout"),
        "weight_kg": ("weight", "gewicht", "poids"),
        "received_on": _RECEIVED,
        "notes": _NOTES,
    },
    "donations": {
        "donor_name": (
            "donor",
            "schenker",
            "donateur",
            "naam schenker",
            "naam",
            "nom",
            "nom du donateur",
            "bedrijf",
            "entreprise",
            "company",
            "donor name",
            "firma",
        ),
        "donor_kind": (
            "soort schenker",
            "type schenker",
            "type de donateur",
            "type donateur",
            "donor type",
            "kind of donor",
        ),
        "donor_vat": (
            "vat",
            "btw",
            "btw nummer",
            "btw nr",
            "ondernemingsnummer",
            "kbo",
            "kbo nummer",
            "tva",
            "numero de tva",
            "n° tva",
            "numero d'entreprise",
            "bce",
            "enterprise number",
            "vat number",
        ),
        "donor_contact": ("contact", "contactpersoon", "personne de contact", "contact person"),
        "donor_email": (
            "email",
            "e-mail",
            "mail",
            "e-mailadres",
            "emailadres",
            "courriel",
            "adresse e-mail",
            "adresse mail",
        ),
        "donor_phone": ("phone", "telefoon", "tel", "gsm", "telephone", "telefoonnummer", "phone number"),
        "donor_address": ("address", "adres", "adresse"),
        "received_on": (*_RECEIVED, "datum", "date"),
        "collection_point": (
            "inzamelpunt",
            "ophaalpunt",
            "locatie",
            "point de collecte",
            "lieu",
            "location",
            "collection point",
        ),
        "expected_count": (
            "aantal",
            "aantal toestellen",
            "verwacht aantal",
            "nombre",
            "nombre d'appareils",
            "count",
            "quantity",
            "expected",
            "number of devices",
        ),
        "reference": ("referentie", "ref", "reference", "kenmerk", "dossier"),
        "notes": _NOTES,
    },
}

# Field -> spoken value -> the model's choice. The choice's value and its label in every
# interface language are accepted besides these (imports._choice_map).
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "kind": {
        "notebook": "laptop",
        "portable": "laptop",
        "ordinateur portable": "laptop",
        "draagbare pc": "laptop",
        "pc": "desktop",
        "vaste pc": "desktop",
        "vaste computer": "desktop",
        "tour": "desktop",
        "ordinateur fixe": "desktop",
        "computer": "desktop",
        "tablette": "tablet",
        "ipad": "tablet",
        "gsm": "smartphone",
        "telefoon": "smartphone",
        "telephone": "smartphone",
        "phone": "smartphone",
        "scherm": "screen",
        "monitor": "screen",
        "ecran": "screen",
        "toebehoren": "accessory",
        "accessoire": "accessory",
        "accessoires": "accessory",
    },
    # "goed" (good) is a used device in working order: B. "slecht" (bad) still works but shows it: C.
    "condition": {
        "nieuw": "a",
        "als nieuw": "a",
        "zo goed als nieuw": "a",
        "zeer goed": "a",
        "uitstekend": "a",
        "neuf": "a",
        "comme neuf": "a",
        "tres bon": "a",
        "excellent": "a",
        "new": "a",
        "as new": "a",
        "goed": "b",
        "bon": "b",
        "good": "b",
        "gebruikt": "b",
        "used": "b",
        "redelijk": "c",
        "matig": "c",
        "slecht": "c",
        "beschadigd": "c",
        "moyen": "c",
        "mauvais": "c",
        "abime": "c",
        "endommage": "c",
        "fair": "c",
        "poor": "c",
        "bad": "c",
        "damaged": "c",
        "kapot": "broken",
        "defect": "broken",
        "stuk": "broken",
        "casse": "broken",
        "hs": "broken",
        "hors service": "broken",
        "en panne": "broken",
        "defectueux": "broken",
    },
    "donor_kind": {
        "bedrijf": "organisation",
        "organisatie": "organisation",
        "vzw": "organisation",
        "company": "organisation",
        "entreprise": "organisation",
        "societe": "organisation",
        "asbl": "organisation",
        "firma": "organisation",
        "particulier": "person",
        "prive": "person",
        "persoon": "person",
        "private": "person",
        "personne": "person",
        "individual": "person",
    },
}

# A header with a unit in it ("RAM (GB)", "Gewicht (kg)") means the header without it.
_UNIT_SUFFIX = re.compile(r"_(gb|go|mb|tb|to|kg|g|pct|procent|percent|pourcent|in_gb|in_kg)$")


def fold(value: str) -> str:
    """Case, accents and punctuation ignored: "N° de série" → "n_de_serie"."""
    decomposed = unicodedata.normalize("NFKD", str(value))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", "_", plain).strip("_")


def header_key(value) -> str:
    return fold(cell_text(value))


def value_key(value) -> str:
    return fold(cell_text(value)).replace("_", " ")


def cell_text(value) -> str:
    """A cell as text. Excel stores serials like 12345 as numbers: 12345.0 must become "12345"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def synonym_fields(kind: str) -> dict[str, str]:
    """Header key -> target field, for one kind of import."""
    mapping: dict[str, str] = {}
    for target, words in COLUMN_SYNONYMS[kind].items():
        mapping[fold(target)] = target
        for word in words:
            mapping.setdefault(fold(word), target)
    return mapping


def field_for(key: str, known: dict[str, str]) -> str | None:
    """The target field a header key names, or None when nobody knows it."""
    if key in known:
        return known[key]
    bare = _UNIT_SUFFIX.sub("", key)
    return known.get(bare)


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, size)."""


@dataclass
class Sheet:
    header_row: int  # the spreadsheet's own row number of the header
    labels: list[str]  # the header cells as written
    rows: list[tuple[int, list]]  # non-empty data rows with their spreadsheet row number
    # (row number, column index) -> cell name ("D7"): formulas whose result Excel did not save.
    unsaved_formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [header_key(label) for label in self.labels]


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM) as it is; otherwise the encoding charset-normalizer finds,
    preferring Windows-1252 (what Belgian Excel writes as "CSV") among equally good guesses:
    on a short file Central-European code pages decode the same bytes without error, and
    only Windows-1252 reads "è" in "Liège" right."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    results = list(
        charset_normalizer.from_bytes(
            content, cp_isolation=["cp1252", "utf_8", "iso8859_15", "cp1250", "mac_roman", "cp850"]
        )
    )
    if not results:
        raise ImportFileError(
            _("The encoding of this CSV file is not recognised. In Excel choose “Save as” → “CSV UTF-8”.")
        )
    lowest = min(r.chaos for r in results)
    for result in results:
        if result.chaos <= lowest + 0.01 and "cp1252" in result.could_be_from_charset:
            return content.decode("cp1252")
    return str(results[0])


def sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:50]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        # A file with a title line is not regular enough for the sniffer: the most frequent wins.
        return max([";", ",", "\t"], key=sample.count)


def _read_csv(content: bytes) -> tuple[list[list], dict]:
    text = decode_csv(content)
    delimiter = sniff_delimiter(text)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), {}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# A spreadsheet is read row by row and never past these, whatever it declares: a 2 MB file can
# claim (or hold) a million rows of a hundred columns, which would build a gigabyte of lists.
MAX_SHEET_ROWS = MAX_ROWS + 1000  # header, blank and note rows around the data
MAX_COLUMNS = 200


def _sheet_rows(worksheet):
    """The rows of a read-only worksheet as lists, ignoring its declared dimension, each cut to
    MAX_COLUMNS. Empty rows are one shared empty list (a far-away cell makes the reader fill
    every row before it); ImportFileError past MAX_SHEET_ROWS filled rows, before building more."""
    worksheet.reset_dimensions()  # the <dimension> element is the file's claim, not its content
    empty: list = []
    filled = 0
    for row in worksheet.iter_rows(values_only=True):
        if all(value is None for value in row[:MAX_COLUMNS]):
            yield empty
            continue
        filled += 1
        if filled > MAX_SHEET_ROWS:
            raise ImportFileError(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
        yield list(row[:MAX_COLUMNS])


def _read_xlsx(content: bytes) -> tuple[list[list], dict]:
    from openpyxl import load_workbook  # noqa: PLC0415 -- heavy library, loaded when a spreadsheet is read

    try:
        values = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException …
        raise ImportFileError(_("This is not a readable XLSX file.")) from exc
    try:
        # The values Excel saved with the formulas; a formula without one (a file written by a
        # program, never opened in Excel) reads as empty and is named by its cell.
        raw = list(_sheet_rows(values.worksheets[0]))
        while raw and not raw[-1]:
            raw.pop()
        unsaved = {}
        for number, row in enumerate(_sheet_rows(formulas.worksheets[0]), start=1):
            if number > len(raw):
                break
            for index, cell in enumerate(row):
                is_formula = (isinstance(cell, str) and cell.startswith("=")) or hasattr(cell, "text")
                saved = raw[number - 1][index] if index < len(raw[number - 1]) else None
                if is_formula and saved is None:
                    unsaved[(number, index)] = f"{_column_letter(index)}{number}"
        return raw, unsaved
    finally:
        values.close()
        formulas.close()


def _find_header(raw: list[list], known: dict[str, str]) -> int:
    """The index of the first row that names enough known columns: two, or all of its cells.
    Without one, the first non-empty row (whose unknown columns the import then names)."""
    first_filled = None
    for index, row in enumerate(raw[:HEADER_SEARCH_ROWS]):
        keys = [header_key(v) for v in row if cell_text(v)]
        if not keys:
            continue
        if first_filled is None:
            first_filled = index
        # A column the network chose to ignore is known too: it was answered in the mapping step.
        recognised = sum(1 for key in keys if field_for(key, known) is not None)
        if recognised >= 2 or recognised == len(keys):
            return index
    if first_filled is None:
        raise ImportFileError(_("The file has no column names."))
    return first_filled


def read_sheet(*, content: bytes, filename: str, known: dict[str, str]) -> Sheet:
    """Read a file; ``known`` (header key -> field) says which column names count."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB; split it into smaller files."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw, unsaved = _read_xlsx(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        raw, unsaved = _read_csv(content)
    else:
        raise ImportFileError(_("Upload an .xlsx or a .csv file."))
    if not raw:
        raise ImportFileError(_("The file is empty."))
    header_index = _find_header(raw, known)
    labels = [cell_text(v) for v in raw[header_index]]
    while labels and not labels[-1]:
        labels.pop()
    rows = [
        (number, values)
        for number, values in enumerate(raw[header_index + 1 :], start=header_index + 2)
        if any(cell_text(v) for v in values)
    ]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
    unsaved = {key: ref for key, ref in unsaved.items() if key[0] > header_index + 1}
    return Sheet(header_row=header_index + 1, labels=labels, rows=rows, unsaved_formulas=unsaved)
