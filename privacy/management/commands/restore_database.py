from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from privacy import backups


class Command(BaseCommand):
    help = (
        "Replace the database's content with a backup made by backup_database (all or "
        "nothing). Stop the web and worker processes first. Checks afterwards that every "
        "CPR number decrypts with the CPR_ENCRYPTION_KEYS at hand."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file, interactive=True, **options):
        settings_dict = connections["default"].settings_dict
        if interactive:
            answer = input(
                f"This replaces every row of the database {settings_dict['NAME']} with the "
                f"backup {file}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            backups.restore(file, settings_dict=settings_dict)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        readable, unreadable = backups.cpr_readability()
        self.stdout.write(self.style.SUCCESS(f"Restored {file}."))
        self.stdout.write(
            f"{readable:,} CPR numbers decrypt with CPR_ENCRYPTION_KEYS. Run `manage.py migrate` "
            "if the backup is from an older version."
        )
        if unreadable:
            raise CommandError(
                f"{unreadable:,} CPR numbers do not decrypt with CPR_ENCRYPTION_KEYS: put the "
                "keys of the backup's time in .env (the first may be new, the old ones after it)."
            )
