"""makemessages without fuzzy matching: a guessed translation is worse than none.

A new string stays untranslated (and CI says so) instead of inheriting a near-miss
translation marked fuzzy that someone has to notice and undo.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
