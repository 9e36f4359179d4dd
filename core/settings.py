"""One configuration object, read from ``SOHOA_*`` environment variables (and ``.env``).

Nested sections use ``__``: ``SOHOA_OCR__LANGUAGES=vie``,
``SOHOA_INGEST__MAX_IMAGE_MEGAPIXELS=150``.
Only edges (CLI, API dependencies, runner, tasks) call :func:`get_settings`; stage cores get the
slice they need as an argument.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class IngestSettings(BaseModel):
    """Limits and rasterization choices for incoming files."""

    max_file_mb: int = Field(2048, description="Largest single file accepted")
    max_image_megapixels: float = Field(
        120.0, description="Pixel limit per page image (A3 at 600 dpi is 70 MP); bombs exceed it"
    )
    max_pdf_pages: int = 5000
    raster_dpi: int = Field(300, description="DPI for PDF pages that are not a single scan image")
    zip_max_entries: int = 20000
    zip_max_total_mb: int = 20480
    zip_max_ratio: float = Field(
        200.0, description="Uncompressed/compressed ratio over which a ZIP entry counts as a bomb"
    )
    text_layer_min_chars: int = Field(
        40,
        description="A PDF page with at least this much "
        "extractable text and no full-page scan is born-digital",
    )


class OcrSettings(BaseModel):
    """The OCR engine and page preparation."""

    engine: str = Field(
        "tesseract",
        description="tesseract, or package.module:factory for another engine (ocr/engine.py)",
    )
    tesseract_cmd: str = Field("tesseract", description="The Tesseract program to run")
    tesseract_in_process: bool = Field(
        True,
        description="Read pages and regions with Tesseract's library in the worker process "
        "when it is installed and tesseract_cmd is the default (same results, no process and "
        "model load per call); false: always run the program",
    )
    languages: str = "vie"
    model: Literal["fast", "best"] = Field(
        "fast",
        description="fast: Debian's tesseract-ocr-vie; best: the tessdata_best-derived "
        "model setup.sh installs in models/tessdata (CER 0.015 vs 0.016 on dev, ~6 % more CPU "
        "per page: bench/RESULTS.md)",
    )
    tessdata_dir: Path | None = Field(
        None, description="Folder with *.traineddata; overrides model"
    )
    psm: int = 3
    page_timeout_s: int = 300
    fix_orientation: bool = True
    deskew: bool = True
    max_deskew_deg: float = 10.0
    ocr_max_dpi: int = Field(
        300, description="Pages scanned finer than this are downscaled for OCR only"
    )
    postcorrect: bool = Field(True, description="Fix look-alike Vietnamese syllables")
    recover_lost_lines: bool = Field(
        True,
        description="Read again, line by line, ink the page's layout analysis left unread "
        "(kept when it reads as Vietnamese)",
    )
    pdfa: bool = Field(False, description="Declare searchable PDFs as PDF/A-2b")
    syllable_list: Path = Field(
        Path("/usr/share/hunspell/vi_VN.dic"),
        description="Vietnamese syllable list (Debian hunspell-vi)",
    )
    min_confidence: float = Field(70.0, description="Quality gate: mean word confidence")
    min_valid_syllables: float = Field(
        0.85, description="Quality gate: share of valid Vietnamese syllables"
    )


class PipelineSettings(BaseModel):
    """In-process runner."""

    workers: int = Field(0, description="Worker processes; 0 = number of CPU cores")
    lease_s: int = Field(900, description="How long a claimed page stays claimed")
    max_attempts: int = Field(
        3,
        ge=1,
        description="Tries of one page (time-outs, lost workers) before it fails with a reason",
    )
    display_max_px: int = Field(2000, description="Longest side of the stored review image")
    retry_backoff_s: float = Field(
        2.0,
        gt=0,
        description="First wait before a transient failure (a time-out, a lost database) is "
        "tried again by a Celery worker; doubles each time, at most 60 s",
    )


class SearchSettings(BaseModel):
    """Full-text index."""

    backend: Literal["tantivy", "whoosh"] = "tantivy"
    index_dir: Path | None = Field(None, description="Default: <data_dir>/index/<backend>")


class SecuritySettings(BaseModel):
    """Sign-in limits, sessions and the TUYỆT MẬT processing policy (docs/security.md)."""

    login_max_failures: int = Field(
        5, description="Failed logins of one user name before it is locked"
    )
    login_max_failures_per_address: int = Field(
        20, description="Failed logins from one address (any names) before it is locked"
    )
    login_lockout_s: int = Field(
        900, description="Lock duration; failures older than this are forgotten"
    )
    session_idle_s: int = Field(3600, description="A session unused this long ends")
    session_absolute_s: int = Field(
        12 * 3600, description="A session ends this long after login, however busy"
    )
    top_secret_policy: Literal["store_only", "process"] = Field(
        "store_only",
        description="TUYỆT MẬT: store originals only (no OCR, no index), or "
        "process like other levels",
    )


class Settings(BaseSettings):
    """All of sohoa's configuration."""

    model_config = SettingsConfigDict(
        env_prefix="SOHOA_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    data_dir: Path = Path("./data")
    database_url: str | None = Field(None, description="Default: SQLite in data_dir")
    broker_url: str | None = None
    require_encrypted_storage: bool = Field(
        False,
        description="Refuse to start unless data_dir is on encrypted storage "
        "(LUKS/fscrypt); see docs/security.md",
    )
    audit_key: SecretStr | None = Field(
        None,
        description="HMAC key of the audit chain (SOHOA_AUDIT_KEY, at least 32 characters); "
        "default: a random key in <data_dir>/audit/audit.key, created 0600 on first use",
    )
    ingest: IngestSettings = IngestSettings()
    ocr: OcrSettings = OcrSettings()
    pipeline: PipelineSettings = PipelineSettings()
    search: SearchSettings = SearchSettings()
    security: SecuritySettings = SecuritySettings()

    @property
    def db_url(self) -> str:
        """Return the database URL, defaulting to SQLite inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sohoa.db').resolve()}"

    @property
    def worker_count(self) -> int:
        """Return the number of worker processes to run."""
        return self.pipeline.workers or max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build the settings once per process, never at import time."""
    return Settings()
