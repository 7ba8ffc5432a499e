from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from privacy import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database: pg_dump's custom format on PostgreSQL, SQLite's online "
        "backup API on SQLite. The CPR numbers in it are readable only with the keys in .env, "
        "which are not in the backup: keep them safe separately."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: BACKUP_DIR/nemid-<date>-<time>.<dump|sqlite3>).",
        )

    def handle(self, *args, output=None, **options):
        settings_dict = connections["default"].settings_dict
        try:
            path = output or backups.default_path(settings_dict, timezone.localtime())
            backups.backup(path, settings_dict=settings_dict)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        readable, unreadable = backups.cpr_readability()
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
        )
        self.stdout.write(
            f"It holds {readable + unreadable:,} encrypted CPR numbers; keep CPR_ENCRYPTION_KEYS "
            "and CPR_HASH_KEY from .env with it, apart from it."
        )
