"""The IT policy file and Group Policy's registry values: read, checked, refused with a place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import FeatureDisabled, Policy, PolicyInvalid, SettingLocked, Settings, parse_setting
from core.errors import InvalidInput
from core.policy import load_policy, merged, policy_from_registry
from core.policy import read_policy_file as read_with_schema
from core.settings import setting_types
from server.errors import status_of


def read_policy_file(path: Path) -> Policy:
    return read_with_schema(path, setting_types())


def registry(
    values: dict[str, object], source: str, defaults: dict[str, object] | None = None
) -> Policy:
    return policy_from_registry(values, source, defaults, schema=setting_types())


GOOD = """\
# IT's policy for the accounting floor
[locked]
data_dir = "{data}"
key_store = "keyring"
model_path = "/opt/konspekt/models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"
allow_registration = false
allow_private_uploads = false
allow_export = false
allow_watched_folders = true
team_server_url = "https://konspekt.corp:8443"
team_server_fingerprint = "AB:CD"
answer_endpoints = ["http://10.0.0.5:8080/v1"]
updates = false
telemetry = false

[defaults]
sources = 4
temperature = 1   # an integer is a number too
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> PolicyInvalid:
    with pytest.raises(PolicyInvalid) as info:
        read_policy_file(write(tmp_path, text))
    return info.value


def test_a_policy_file_is_read_into_locked_values_and_presets_of_the_settings_types(
    tmp_path: Path,
) -> None:
    policy = read_policy_file(write(tmp_path, GOOD.format(data=tmp_path / "srv")))
    assert policy.source == str(tmp_path / "policy.toml")
    assert policy.locked["data_dir"] == tmp_path / "srv"
    assert policy.locked["model_path"] == Path(
        "/opt/konspekt/models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"
    )
    assert policy.locked["allow_export"] is False
    assert policy.locked["answer_endpoints"] == ("http://10.0.0.5:8080/v1",)
    assert policy.locked["updates"] is False
    assert "updates" not in policy.locked_settings
    assert dict(policy.defaults) == {"sources": 4, "temperature": 1.0}
    assert isinstance(policy.defaults["temperature"], float)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[locked]\nallow_export = false\nallow_exports = false\n", 3, "allow_exports"),
        ("[locked]\nsources = 4\n\n[defaults]\nn_ctx = 'big'\n", 5, "whole number"),
        ("[defaults]\nsources = 4\n[locked]\nallow_export = 0\n", 4, "true or false"),
        ("[locked]\nkey_store = 'keyring'\n[network]\nproxy = 'x'\n", 3, "[locked]"),
        ("sources = 4\n", 1, "[defaults]"),
        ("[locked]\ntelemetry = true\n", 2, "never checks for updates"),
        ("[locked]\nkey_store = 'keyrnig'\n", 2, "auto, keyring, passphrase"),
        ("[locked]\nallow_export = false\nsources = [\n", 3, "not valid TOML"),
        ("[locked]\n[locked.ldap_group_roles]\nadmins = 1\n", 2, "table of texts"),
    ],
)
def test_a_bad_policy_is_refused_naming_its_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    error = refusal(tmp_path, text)
    assert error.line == line
    message = error.user_message("en")
    assert f"{tmp_path / 'policy.toml'}, line {line}," in message
    assert words in message
    russian = error.user_message("ru")
    assert f"(строка {line})" in russian
    assert "Konspekt не запустится" in russian


def test_a_policy_path_that_is_a_folder_is_refused_not_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "policy.toml"
    folder.mkdir()
    with pytest.raises(PolicyInvalid, match="cannot be read"):
        read_policy_file(folder)


def test_an_unreadable_policy_is_refused_not_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "[locked]\nallow_export = false\n")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: every file is readable")
    with pytest.raises(PolicyInvalid, match="cannot be read"):
        read_policy_file(path)


def test_a_policy_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_bytes("[locked]\nteam_server_url = 'Сервер'\n".encode("cp1251"))
    with pytest.raises(PolicyInvalid, match="not UTF-8"):
        read_policy_file(path)


def test_konspekt_policy_chooses_the_file_and_empty_means_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "[locked]\nallow_export = false\n")
    monkeypatch.setenv("KONSPEKT_POLICY", str(path))
    assert load_policy(setting_types()).locked == {"allow_export": False}
    monkeypatch.setenv("KONSPEKT_POLICY", str(tmp_path / "absent.toml"))
    assert load_policy(setting_types()) == Policy()
    monkeypatch.setenv("KONSPEKT_POLICY", "")
    assert load_policy(setting_types()) == Policy()


def test_locked_values_win_over_the_user_file_and_presets_lose_to_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "konspekt.toml").write_text("sources = 9\nallow_export = true\nmax_file_mb = 5\n")
    policy = read_policy_file(
        write(tmp_path, "[locked]\nallow_export = false\n[defaults]\nsources = 4\nn_ctx = 8192\n")
    )
    settings = Settings.load(data, policy=policy)
    assert settings.allow_export is False, "the user's file cannot undo a lock"
    assert settings.sources == 9, "a preset is only a default"
    assert settings.n_ctx == 8192
    assert settings.max_file_mb == 5
    assert settings.locked_by("allow_export") == policy.source
    assert settings.locked_by("sources") == ""


def test_save_never_writes_a_locked_value_and_treats_presets_as_defaults(tmp_path: Path) -> None:
    policy = read_policy_file(
        write(tmp_path, "[locked]\nallow_export = false\n[defaults]\nsources = 4\n")
    )
    settings = Settings.load(tmp_path / "data", policy=policy)
    settings.with_changes(n_ctx=3072).save()
    written = (tmp_path / "data" / "konspekt.toml").read_text()
    assert "n_ctx = 3072" in written
    assert "allow_export" not in written
    assert "sources" not in written


def test_asking_for_another_value_than_a_locked_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srv = tmp_path / "srv"
    policy = read_policy_file(
        write(tmp_path, f"[locked]\ndata_dir = '{srv}'\nkey_store = 'keyring'\n")
    )
    with pytest.raises(SettingLocked) as info:
        Settings.load(tmp_path / "mine", policy=policy)
    assert "data_dir" in info.value.user_message("en")
    assert str(tmp_path / "policy.toml") in info.value.user_message("ru")
    with pytest.raises(SettingLocked, match="key_store"):
        Settings.load(policy=policy, key_store="file")
    monkeypatch.setenv("KONSPEKT_KEY_STORE", "env")
    with pytest.raises(SettingLocked, match="key_store"):
        Settings.load(policy=policy)
    monkeypatch.setenv("KONSPEKT_KEY_STORE", "keyring")  # the same value is no conflict
    assert Settings.load(srv, policy=policy).data_dir == srv.resolve()
    assert Settings.load(policy=policy).key_store == "keyring"


def test_group_policy_values_map_dwords_to_switches_and_text_to_settings() -> None:
    policy = registry(
        {
            "allow_export": 0,
            "allow_watched_folders": 1,
            "sources": 3,
            "idle_lock_minutes": "7.5",
            "answer_endpoints": ["http://a/v1", "http://b/v1"],
            "model_path": r"C:\Models\llama.gguf",
            "telemetry": 0,
        },
        r"HKLM\Software\Policies\Konspekt",
        {"n_ctx": 8192},
    )
    assert policy.locked["allow_export"] is False
    assert policy.locked["allow_watched_folders"] is True
    assert policy.locked["sources"] == 3
    assert policy.locked["idle_lock_minutes"] == 7.5
    assert policy.locked["answer_endpoints"] == ("http://a/v1", "http://b/v1")
    assert policy.locked["model_path"] == Path(r"C:\Models\llama.gguf")
    assert policy.locked["telemetry"] is False
    assert dict(policy.defaults) == {"n_ctx": 8192}
    assert registry({}, "HKLM") == Policy()


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"allow_export": 2}, "true or false"),
        ({"telemetry": 1}, "never checks for updates"),
        ({"no_such_thing": 1}, "not a Konspekt setting"),
        ({"sources": "many"}, "whole number"),
    ],
)
def test_a_bad_registry_value_is_refused_naming_it(values: dict[str, object], words: str) -> None:
    with pytest.raises(PolicyInvalid) as info:
        registry(values, r"HKLM\Software\Policies\Konspekt")
    [name] = values
    assert f"value {name}," in info.value.user_message("en")
    assert words in info.value.user_message("en")
    assert f"(значение {name})" in info.value.user_message("ru")


def test_a_typed_value_is_parsed_by_the_settings_kind() -> None:
    assert parse_setting("n_ctx", "8192") == 8192
    assert parse_setting("rerank", "false") is False
    assert parse_setting("team_server_url", "https://x:8443") == "https://x:8443"
    assert parse_setting("model_path", "") is None
    with pytest.raises(InvalidInput, match="whole number"):
        parse_setting("n_ctx", "big")
    with pytest.raises(InvalidInput, match="one of"):
        parse_setting("key_store", "vault")
    with pytest.raises(InvalidInput, match="no setting named"):
        parse_setting("colour", "red")


def test_the_team_server_answers_a_policy_refusal_as_forbidden() -> None:
    assert status_of(FeatureDisabled("export", "/etc/konspekt/policy.toml")) == (
        403,
        "permission_denied",
    )
    assert status_of(SettingLocked("n_ctx", "/etc/konspekt/policy.toml"))[0] == 403


def test_group_policy_wins_over_the_file_key_by_key(tmp_path: Path) -> None:
    file = read_policy_file(
        write(tmp_path, "[locked]\nallow_export = false\nsources = 3\n[defaults]\nn_ctx = 2048\n")
    )
    both = merged(file, registry({"sources": 5}, r"HKLM\Software\Policies\Konspekt"))
    assert dict(both.locked) == {"allow_export": False, "sources": 5}
    assert dict(both.defaults) == {"n_ctx": 2048}
    assert both.source == f"{file.source} + HKLM\\Software\\Policies\\Konspekt"
    assert merged(file, Policy()) is file
