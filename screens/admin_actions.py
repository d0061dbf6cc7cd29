"""The administration screen's forms: each one core service (the same the CLI's command calls), so every rule and
every refusal is the core's; these only say which fields a form has."""

from __future__ import annotations

from typing import Any

from core.errors import BadInput
from core.i18n import LANGUAGES, _, language_name
from core.labels import ROLE, label
from core.pins import validate_new_pin
from core.roles import Role
from core.services.operators import OperatorInfo
from core.services.settings import SettingRow
from screens.admin_form import FormDialog, FormField


def _roles() -> tuple[tuple[str, str], ...]:
    """Every role as (code, label), to tick: the core takes the codes and checks them."""
    return tuple((role.value, label(ROLE, role.value)) for role in Role)


def _languages() -> tuple[tuple[str, str], ...]:
    """Every language the desk speaks as (code, its own name), to tick one: the core takes the code."""
    return tuple((code, language_name(code)) for code in LANGUAGES)


def _one(ticked: tuple[str, ...]) -> str | None:
    """The one value ticked in a single-choice list, None when none is."""
    return ticked[0] if ticked else None


def add_operator_form(actor) -> FormDialog:
    """`operator add`: code, name, roles, language (none ticked: the station's) and the PIN twice."""
    from core.services.operators import add_operator

    def work(values: dict[str, Any], uow) -> OperatorInfo:
        pin = validate_new_pin(values["pin"], values["again"])
        return add_operator(values["code"], values["name"], list(values["roles"]), pin, actor=actor, uow=uow,
                            language=_one(values["language"]))

    return FormDialog(_("New operator 新增操作员"), (
        FormField("code", _("Code"), max_length=16),
        FormField("name", _("Name")),
        FormField("roles", _("Roles"), choices=_roles()),
        FormField("language", _("Language"), choices=_languages(), single=True),
        FormField("pin", _("PIN"), password=True, max_length=12),
        FormField("again", _("PIN again"), password=True, max_length=12),
    ), work, summary=_("Space ticks roles and a language; no language ticked: the station's"))


def roles_form(actor, operator: OperatorInfo) -> FormDialog:
    """`operator roles`: exactly the roles ticked (never one's own), his own ticked first."""
    from core.services.operators import set_roles

    def work(values: dict[str, Any], uow) -> OperatorInfo:
        return set_roles(operator.code, list(values["roles"]), actor=actor, uow=uow)

    return FormDialog(_("Roles of {code} {name}").format(code=operator.code, name=operator.name), (
        FormField("roles", _("Roles"), choices=_roles(), chosen=operator.roles),
    ), work, summary=_("He has exactly the roles ticked: space ticks or unticks the highlighted one"))


def language_form(actor, operator: OperatorInfo) -> FormDialog:
    """`operator language`: the language the desk speaks to him, from his next sign-in."""
    from core.services.operators import set_language

    def work(values: dict[str, Any], uow) -> OperatorInfo:
        chosen = _one(values["language"])
        if chosen is None:
            raise BadInput(_("tick the language the desk speaks to him"), field="language")
        return set_language(operator.code, chosen, actor=actor, uow=uow)

    return FormDialog(_("Language of {code} {name}").format(code=operator.code, name=operator.name), (
        FormField("language", _("Language"), choices=_languages(), chosen=(operator.language,), single=True),
    ), work, summary=_("The one ticked: space ticks the highlighted language"))


def pin_form(actor, operator: OperatorInfo) -> FormDialog:
    """`operator reset-pin`: a new PIN typed twice."""
    from core.services.operators import reset_pin

    def work(values: dict[str, str], uow) -> OperatorInfo:
        return reset_pin(operator.code, validate_new_pin(values["pin"], values["again"]), actor=actor, uow=uow)

    return FormDialog(_("New PIN for {code} {name}").format(code=operator.code, name=operator.name), (
        FormField("pin", _("PIN"), password=True, max_length=12),
        FormField("again", _("PIN again"), password=True, max_length=12),
    ), work, summary=_("4 to 12 digits; the audit trail says it changed, never what it is"))


def setting_form(actor, setting: SettingRow) -> FormDialog:
    """`setting set`: the value, checked by the setting's own rule."""
    from core.services.settings import set_setting

    def work(values: dict[str, str], uow) -> str:
        set_setting(setting.key, values["value"], actor=actor, uow=uow)
        return setting.key

    return FormDialog(_("Setting {key}").format(key=setting.key), (
        FormField("value", _("Value"), setting.value, max_length=1000),
    ), work, summary=_("{meaning}. Allowed: {allowed}").format(meaning=setting.meaning, allowed=setting.allowed))


def backup_form() -> FormDialog:
    """`backup FILE`: the file to write (the screen asks before replacing one)."""

    def work(values: dict[str, str], uow) -> str | None:
        return values["path"].strip() or None

    return FormDialog(_("Backup 备份"), (FormField("path", _("Backup file"), placeholder="/media/usb/partsdesk.sqlite",
                                                    max_length=1000),),
                      work, summary=_("A copy of the whole database, made while others go on working"))


def add_supplier_form(actor) -> FormDialog:
    """`supplier add`: code and name."""
    from core.services.purchasing import add_supplier

    return FormDialog(_("New supplier 新增供应商"), (FormField("code", _("Code"), max_length=20),
                                                 FormField("name", _("Name"))),
                      lambda values, uow: add_supplier(values["code"], values["name"], actor=actor, uow=uow))


def rename_supplier_form(actor) -> FormDialog:
    """`supplier rename`: a registered supplier's code and its full name."""
    from core.services.purchasing import name_supplier

    return FormDialog(_("Rename a supplier"), (FormField("code", _("Code"), max_length=20),
                                               FormField("name", _("Name"))),
                      lambda values, uow: name_supplier(values["code"], values["name"], actor=actor, uow=uow))


def add_carrier_form(actor) -> FormDialog:
    """`carrier add`: code and name."""
    from core.services.purchasing import add_carrier

    return FormDialog(_("New carrier 新增承运商"), (FormField("code", _("Code"), max_length=20),
                                                FormField("name", _("Name"))),
                      lambda values, uow: add_carrier(values["code"], values["name"], actor=actor, uow=uow))


def add_location_form(actor) -> FormDialog:
    """`location add`: the code and (for a new zone) its model series."""
    from core.services.catalog import add_location

    return FormDialog(_("New location 新增库位"), (
        FormField("code", _("Location"), placeholder="EXC-01-02-03", max_length=20),
        FormField("series", _("Model series"), placeholder=_("empty: the zone's, or general")),
    ), lambda values, uow: add_location(values["code"], values["series"].strip() or None, actor=actor, uow=uow),
        summary=_("The first bin of a zone gives it its series; a later bin takes the zone's"))
