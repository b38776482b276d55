"""Contact details (联络人、职务、电话) as values: the labels a campaign uses, and what a piece of text is.

The readers of tables (parsers.contacts.table) and of text (parsers.contacts.text) share these; a Contact says
what was read and where, never whether the message was delivering it (routing decides that).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from parsers.forms.text import clean, key

NAME, POSITION, PHONE = "name", "position", "phone"
MAX_NAME, MAX_POST = 8, 20  # characters: longer text is prose, never a name or a post
ROLES = (NAME, POSITION, PHONE)
# Where a contact was found: a file of its own, the plan document, or free text (a body, a signature).
FILE, PLAN, TEXT = "file", "plan", "text"

_DASHES = str.maketrans({c: "-" for c in "—–－‐‑‒―~～"})
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![\d])")
_LANDLINE = re.compile(r"(?<![\d-])(?:\((0\d{2,3})\) ?|(0\d{2,3}) ?-? ?)?([2-9]\d{6,7})(?: ?(?:转|-|ext\.?|分机) ?(\d{1,5}))?(?![\d])", re.I)
# How posts end (办公室主任, 综合科科长, 四级主任科员, 党组成员 …).
_TITLE = re.compile(
    r"(?:主任|科长|局长|处长|书记|部长|科员|干事|专员|职员|主席|秘书长|秘书|经理|所长|站长|队长|馆长|院长|组长|委员|成员|"
    r"负责人|负责同志|工作人员|调研员|股长|会长|理事长|主管|助理|办事员|统计员|文员|专干|干部|监察员|联络员|行长|校长|"
    r"园长|总监|董事长|主任医师|医师|审计员|科室负责人|副职|正职)$")
_TITLE_INSIDE = re.compile(_TITLE.pattern.removesuffix("$"))
# Words that are never a person's name (they start prose such as "联络人报送如下" or "联系人见附件").
_NOT_NAME = re.compile(r"报送|如下|以下|信息|电话|职务|单位|办公|我局|我委|我部|本单位|负责|工作|专项|行动|材料|附件|联系|联络|方式|名单|情况|"
                       r"待定|暂无|领导|分管|科室|部门|处室|人员|邮箱|地址|手机|号码|详见|同上|另行|确定|填写|姓名|同志们|及时|做好|"
                       r"各单位|通知|要求|落实|明确|负总责|具体|承办|变更|更换|调整")
_BODY = re.compile(r"(?:局|委|办|部|院|厅|处|科|室|所|站|中心|公司|集团|政府|委员会|学校|医院|协会|联合会|工会|党校|旗|县|市|盟)$")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,7}")
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤包乌宝"
                "白那额巴敖特常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巨风招")


@dataclass(frozen=True)
class Labels:
    """The words that introduce each field, and the people (分管领导 …) who are not the contact."""

    names: tuple[str, ...]
    positions: tuple[str, ...]
    phones: tuple[str, ...]
    others: tuple[str, ...] = ()
    generic: tuple[str, ...] = ("姓名",)  # a name label that says nothing of whose name it is (GENERIC_NAMES)
    excluded: frozenset[str] = frozenset()  # the offices' own contacts and phones, quoted from the notice

    def role(self, text: str) -> str | None:
        """NAME, POSITION or PHONE when ``text`` is exactly one of their labels."""
        return self._roles.get(key(text))

    def is_other(self, text: str) -> bool:
        """Whether ``text`` names a person who is not the contact (分管领导)."""
        return key(text) in self._others

    @functools.cached_property
    def _roles(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for role, words in ((NAME, self.names + self.generic), (POSITION, self.positions), (PHONE, self.phones)):
            found.update((key(w), role) for w in words if key(w) not in found)
        return found

    @functools.cached_property
    def _others(self) -> frozenset[str]:
        return frozenset(key(w) for w in self.others)


def labels_of(spec, offices=()) -> Labels:
    """The labels of a contact form spec (fields by role, ``other_people``), excluding the offices' own contacts."""
    words: dict[str, tuple[str, ...]] = {}
    for number, spec_field in enumerate(spec.fields):
        role = spec_field.get("role") or (ROLES[number] if number < len(ROLES) else None)
        names = (spec_field["name"], *spec_field.get("aliases", ()))
        words[role] = words.get(role, ()) + tuple(n for n in names if n not in GENERIC_NAMES)
    excluded = {normal(o.contact) for o in offices if o.contact} | {p for o in offices for p in phones_in(o.phone)}
    return Labels(names=words.get(NAME, ()), positions=words.get(POSITION, ()), phones=words.get(PHONE, ()),
                  others=tuple(spec.extra.get("other_people", ())), excluded=frozenset(excluded))


GENERIC_NAMES = ("姓名",)


@dataclass
class Contact:
    """One contact as read: name, post, phones, the sender's cells for each, and where it was found."""

    name: str = ""
    position: str = ""
    phones: list[str] = field(default_factory=list)
    raw_phone: str = ""  # what a 电话 label carried when no number could be read in it
    refs: dict[str, str] = field(default_factory=dict)
    source: str = TEXT
    file: str = ""
    sheet: str | None = None

    @property
    def phone(self) -> str:
        """Every number read, in order, or what was written when none could be read."""
        return "、".join(self.phones) or self.raw_phone

    @property
    def filled(self) -> int:
        """How many of name, post and phone were read."""
        return sum(bool(v) for v in (self.name, self.position, self.phone))

    def values(self) -> dict[str, str]:
        """{"name", "position", "phone"} as the verdict and the ledger show them."""
        return {NAME: self.name, POSITION: self.position, PHONE: self.phone}

    def is_excluded(self, labels: Labels) -> bool:
        """Whether this is one of the offices' own contacts (the notice's footnotes, our reminders), not the sender's."""
        return bool(self.name and self.name in labels.excluded) or any(p in labels.excluded for p in self.phones)


def normal(text: object) -> str:
    """NFKC text with every kind of dash as '-', 【】 as brackets and no-break spaces as spaces."""
    text = unicodedata.normalize("NFKC", clean(text)).translate(_DASHES)
    return text.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")").replace("\u00a0", " ")


def phones_in(text: str) -> list[str]:
    """The phone numbers in ``text``, written uniformly (13800000000, 0482-8267388, 0482-8267388转801)."""
    if sum(ch.isdigit() for ch in text) < 7:  # the shortest number is 7 digits: most text has none
        return []
    text = normal(text)
    found: list[tuple[int, str]] = []
    for match in _MOBILE.finditer(text):
        found.append((match.start(), "".join(match.groups())))
    masked = _MOBILE.sub(lambda m: " " * len(m.group(0)), text)
    for match in _LANDLINE.finditer(masked):
        area, number, ext = match.group(1) or match.group(2), match.group(3), match.group(4)
        found.append((match.start(), f"{area + '-' if area else ''}{number}{'转' + ext if ext else ''}"))
    return list(dict.fromkeys(number for _, number in sorted(found)))


def is_position(text: str) -> bool:
    """Whether ``text`` reads as a post (办公室主任, 综合科科长)."""
    return len(text) <= MAX_POST and bool(_TITLE.search(text)) and not phones_in(text)


def is_name(text: str, *, strict: bool = False) -> bool:
    """Whether ``text`` can be a person's name; ``strict`` asks for a common surname as well."""
    text = text.removesuffix("同志")
    if len(text) > MAX_NAME or not _CJK_NAME.fullmatch(text) or _NOT_NAME.search(text) or is_position(text):
        return False
    if len(text) >= 3 and _BODY.search(text):
        return False  # 政务服务局, 财政局: a body, not a person (王局 may still be Director Wang)
    return not strict or (text[0] in _SURNAMES and len(text) <= 4)


def split_name_and_post(text: str) -> tuple[str, str]:
    """("王五", "办公室主任") from 办公室主任王五 or 王五主任; (text, "") when there is nothing to split."""
    text = text.removesuffix("同志")
    if len(text) > MAX_NAME + MAX_POST:
        return text, ""
    for match in _TITLE_INSIDE.finditer(text):
        post, rest = text[: match.end()], text[match.end():]
        if rest and is_name(rest, strict=True):
            return rest, post
    match = _TITLE.search(text)
    if match and match.start() >= 2 and is_name(text[: match.start()], strict=True):
        return text[: match.start()], text[match.start():]
    return text, ""
