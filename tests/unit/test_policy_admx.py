"""The Group Policy template: each value it can write is accepted; each string it uses exists."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core.policy import Policy
from core.policy import policy_from_registry as from_registry
from core.settings import setting_types

FOLDER = Path(__file__).resolve().parents[2] / "packaging" / "windows" / "policy"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
LOCKED_KEY = r"Software\Policies\Konspekt"
DEFAULTS_KEY = LOCKED_KEY + r"\Defaults"
SAMPLE_TEXT = {
    "data_dir": r"D:\Konspekt",
    "model_path": r"C:\Program Files\Konspekt\models\model.gguf",
    "team_server_url": "https://konspekt.corp:8443",
    "team_server_fingerprint": "AB:CD:EF",
}


def policy_from_registry(
    values: dict[str, object], source: str, defaults: dict[str, object] | None = None
) -> Policy:
    """The reader as Konspekt runs it, with the settings' types."""
    return from_registry(values, source, defaults, schema=setting_types())


def admx() -> ET.Element:
    return ET.parse(FOLDER / "konspekt.admx").getroot()


def registry_values() -> list[tuple[str, str, object]]:
    """(key, value name, a value Group Policy can write) for every setting the ADMX declares."""
    written: list[tuple[str, str, object]] = []
    for policy in admx().iterfind("p:policies/p:policy", NS):
        key = policy.get("key", "")
        name = policy.get("valueName")
        for state in ("p:enabledValue", "p:disabledValue"):
            number = policy.find(f"{state}/p:decimal", NS)
            if name and number is not None:
                written.append((key, name, int(number.get("value", ""))))
        elements = policy.find("p:elements", NS)
        for element in elements if elements is not None else ():
            kind, value_name = element.tag.split("}")[1], element.get("valueName", "")
            if kind == "decimal":
                low, high = element.get("minValue", "0"), element.get("maxValue", "0")
                written += [(key, value_name, int(low)), (key, value_name, int(high))]
            elif kind == "enum":
                for item in element.iterfind("p:item/p:value/p:string", NS):
                    written.append((key, value_name, item.text or ""))
            elif kind == "multiText":
                written.append((key, value_name, ["http://10.0.0.5:8080/v1", "http://b/v1"]))
            elif kind == "text":
                written.append((key, value_name, SAMPLE_TEXT[value_name]))
            else:
                pytest.fail(f"an element kind the test does not know: {kind}")
    return written


def test_the_template_declares_the_policy_keys_under_konspekts_registry_key() -> None:
    values = registry_values()
    assert {key for key, _, _ in values} == {LOCKED_KEY, DEFAULTS_KEY}
    names = {name for key, name, _ in values if key == LOCKED_KEY}
    assert {
        "data_dir",
        "key_store",
        "model_path",
        "allow_registration",
        "allow_private_uploads",
        "allow_export",
        "allow_watched_folders",
        "team_server_url",
        "team_server_fingerprint",
        "updates",
        "telemetry",
    } <= names


@pytest.mark.parametrize(("key", "name", "value"), registry_values())
def test_every_value_group_policy_can_write_is_accepted(key: str, name: str, value: object) -> None:
    if key == LOCKED_KEY:
        policy = policy_from_registry({name: value}, "HKLM\\" + key)
        assert name in policy.locked
    else:
        policy = policy_from_registry({}, "HKLM\\" + LOCKED_KEY, {name: value})
        assert name in policy.defaults


def test_switches_write_one_for_enabled_and_zero_for_disabled() -> None:
    for key, name, value in registry_values():
        if name.startswith("allow_"):
            assert policy_from_registry({name: value}, key).locked[name] is (value == 1)


def _references(kind: str) -> set[str]:
    text = (FOLDER / "konspekt.admx").read_text(encoding="utf-8")
    return set(re.findall(rf"\$\({kind}\.([A-Za-z0-9_]+)\)", text))


@pytest.mark.parametrize("language", ["en-US", "ru-RU"])
def test_every_string_and_presentation_the_template_uses_exists_in_both_languages(
    language: str,
) -> None:
    root = ET.parse(FOLDER / language / "konspekt.adml").getroot()
    strings = {s.get("id") for s in root.iterfind("p:resources/p:stringTable/p:string", NS)}
    shown = root.iterfind("p:resources/p:presentationTable/p:presentation", NS)
    presentations = {p.get("id"): {c.get("refId") for c in p} for p in shown}
    assert _references("string") <= strings
    assert _references("presentation") == presentations.keys()
    for policy in admx().iterfind("p:policies/p:policy", NS):
        elements = policy.find("p:elements", NS)
        ids = {e.get("id") for e in elements} if elements is not None else set()
        ref = re.fullmatch(r"\$\(presentation\.(\w+)\)", policy.get("presentation", ""))
        assert (presentations[ref.group(1)] if ref else set()) == ids, policy.get("name")
    english = ET.parse(FOLDER / "en-US" / "konspekt.adml").getroot()
    english_ids = {s.get("id") for s in english.iterfind("p:resources/p:stringTable/p:string", NS)}
    assert strings == english_ids, "both languages hold the same strings"


def test_the_template_has_the_admx_shape() -> None:
    root = admx()
    assert root.tag == f"{{{NS['p']}}}policyDefinitions"
    assert root.find("p:policyNamespaces/p:target", NS) is not None
    categories = {c.get("name") for c in root.iterfind("p:categories/p:category", NS)}
    for policy in root.iterfind("p:policies/p:policy", NS):
        assert policy.get("class") == "Machine"
        assert policy.get("key", "").startswith(LOCKED_KEY)
        parent = policy.find("p:parentCategory", NS)
        assert parent is not None
        assert parent.get("ref") in categories
        assert policy.find("p:supportedOn", NS) is not None
        assert policy.get("valueName") or policy.find("p:elements", NS) is not None
