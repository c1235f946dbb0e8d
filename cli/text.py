"""The CLI's own strings in English and Russian, from the `cli` gettext catalogue.

The texts live in resources/locale/<lang>/LC_MESSAGES/cli.po (docs/translations.md);
code names them by key, as the core does with tr().
"""

from __future__ import annotations

from core import N_, N_plural, translate

__all__ = ["COMPOSED", "N_", "N_plural", "t", "tn"]

DOMAIN = "cli"


def t(key: str, lang: str, **params: object) -> str:
    """The CLI string `key` in `lang`; one with plural forms is chosen by `count`."""
    return translate(DOMAIN, key, lang, params)


def tn(key: str, count: int, lang: str, **params: object) -> str:
    """The CLI string `key` with the plural form for `count` (also filled as `{count}`)."""
    return translate(DOMAIN, key, lang, {**params, "count": count})


COMPOSED = (
    # Keys the CLI builds from a prefix and a value of the core (an enum's value, a check's
    # name), named here so `make messages` keeps them; a new value needs its line here.
    # "role_" + Role
    N_("role_admin"),
    N_("role_editor"),
    N_("role_member"),
    # "state_" + UserStatus; "registered_" and "user_" + the status a command leaves
    N_("state_pending"),
    N_("state_active"),
    N_("state_disabled"),
    N_("registered_pending"),
    N_("registered_active"),
    N_("user_active"),
    N_("user_disabled"),
    # "sharing_" + KnowledgeBase.sharing
    N_("sharing_public"),
    N_("sharing_shared"),
    N_("sharing_private"),
    # "watch_state_" + WatchState
    N_("watch_state_waiting"),
    N_("watch_state_scanning"),
    N_("watch_state_ok"),
    N_("watch_state_error"),
    # DocumentStatus values, shown as they are
    N_("indexed"),
    N_("failed"),
    # "doctor_" + CheckStatus, "doctor_check_" + Check.name (a library's check: its name)
    N_("doctor_ok"),
    N_("doctor_warn"),
    N_("doctor_fail"),
    N_("doctor_check_policy"),
    N_("doctor_check_python"),
    N_("doctor_check_sqlcipher"),
    N_("doctor_check_cpu"),
    N_("doctor_check_llama_backend"),
    N_("doctor_check_gpu_offload"),
    N_("doctor_check_answer_model"),
    N_("doctor_check_model_verified"),
    N_("doctor_check_embedder"),
    N_("doctor_check_keychain"),
    N_("doctor_check_data_folder"),
    N_("doctor_check_free_space"),
    N_("doctor_check_self_test"),
)
