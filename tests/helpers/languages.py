"""The desk in Chinese in tests: a small zh_CN catalogue compiled into a test folder (the real one is translated
apart), and an operator's or the station's language set the way the desk reads them."""

from __future__ import annotations

import struct
from array import array
from pathlib import Path

from core import i18n
from core.i18n import DOMAIN
from core.roles import Role

# Enough words for the sign-in, home and the keys every screen shows; the glossary's terms (/work/notes).
TEST_WORDS = {
    "Sign in to the parts desk": "登录备件前台",
    "Operator code": "操作员代码",
    "PIN": "密码",
    "e.g. STORE1": "例如 STORE1",
    "4-12 digits": "4-12 位数字",
    "Sign in": "登录",
    "Next": "下一项",
    "Sign in in the other language: Chinese or English": "用另一种语言登录：中文或英文",
    "operator code or PIN not accepted": "操作员代码或密码不正确",
    "Signed in": "已登录",
    "Workflows": "工作",
    "To do": "待办",
    "Print": "打印",
    "Go to code": "输入代码",
    "Sign out": "退出登录",
    "Quit": "退出",
    "Keys": "按键",
    "palette": "命令",
    "Search for commands…": "搜索命令…",
    "this station has no operators yet: run `partsdesk init` to create the first admin":
        "本服务站还没有操作员：运行 `partsdesk init` 创建第一个管理员",
    "Back": "返回",
    "Refresh": "刷新",
    "Part lookup": "零件查询",
    "Counter": "备件柜台",
    "Repair orders": "维修服务单",
    "Receiving": "入库",
    "Review": "审批",
    "Shortages": "缺件登记",
    "Audit": "操作日志",
    "find a part by number or name, or scan it; see its lots": "按零件号或名称查找零件，或扫描；查看批次",
    "shortage registrations with their 30-minute countdown; the parts department answers them":
        "缺件登记及其 30 分钟倒计时；由备件部答复",
    "drafts waiting for your decision: review, approve, reject, change at the order meeting":
        "等待您决定的底稿：审核、批准、驳回，在订货会上修改",
}
_HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n"


def write_catalogue(folder: Path, words: dict[str, str], language: str = i18n.CHINESE) -> Path:
    """Compile `words` (msgid → translation) into `folder`/<language>/LC_MESSAGES/partsdesk.mo (GNU .mo, as
    msgfmt writes it); returns the folder."""
    entries = {"": _HEADER, **words}
    ids = strings = b""
    offsets = []
    for msgid in sorted(entries):
        encoded_id, encoded = msgid.encode(), entries[msgid].encode()
        offsets.append((len(ids), len(encoded_id), len(strings), len(encoded)))
        ids += encoded_id + b"\0"
        strings += encoded + b"\0"
    count = len(entries)
    ids_start = 7 * 4 + 16 * count
    strings_start = ids_start + len(ids)
    id_table, string_table = [], []
    for id_offset, id_length, string_offset, string_length in offsets:
        id_table += [id_length, id_offset + ids_start]
        string_table += [string_length, string_offset + strings_start]
    data = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    data += array("i", id_table).tobytes() + array("i", string_table).tobytes() + ids + strings
    target = folder / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return folder


def use_catalogue(monkeypatch, folder: Path) -> None:
    """Point core.i18n at the catalogues in `folder` (the cached ones forgotten, now and when the test ends)."""
    monkeypatch.setattr(i18n, "LOCALE_DIR", folder)
    i18n._catalogue.cache_clear()


def give_operator_language(db, staff, role: Role, language: str) -> None:
    """The operator of `role` speaks `language` from his next sign-in (core.services.operators.set_language)."""
    from core.services.operators import set_language

    with db.writing() as uow:
        set_language(staff[role].code, language, actor=staff[role], uow=uow)


def give_station_language(db, staff, language: str) -> None:
    """The station's setting `language`, the sign-in's (set by the admin)."""
    from core.services.settings import set_setting

    with db.writing() as uow:
        set_setting("language", language, actor=staff[Role.ADMIN], uow=uow)
