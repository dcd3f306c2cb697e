"""Chinese phone numbers: parse what editors type into something a `tel:` link can dial.

`phonenumbers` does the heavy lifting; two local rules sit on top of it (see DESIGN.md):
a ten-digit number such as 2368781234 is a landline that lost its leading 0 to Excel
(phonenumbers would accept it), and short service numbers such as 12345 are valid here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, shortnumberinfo


class PhoneError(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Phone:
    display: str  # as people read it: 023-6878-1234, 138-1234-5678, 12345
    tel: str  # what a tel: link dials: +862368781234, or 12345 for a short number
    kind: str  # landline / mobile / toll_free / short
    extension: str = ""


_SEPARATORS = re.compile(r"[\s\-－—()（）.]")
_EXTENSION = re.compile(r"^(?P<number>.+?)(?:转|ext\.?|分机|-?#)(?P<ext>\d{1,6})$", re.IGNORECASE)
_VALID_FORMS = "固定电话带区号（023-68781234），手机 11 位，或 400/800 号码，或 12345 等服务号码"
_KINDS = {
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.SHARED_COST: "toll_free",  # 400 numbers
}


def parse_phone(raw: str) -> Phone:
    """Parse one number, or raise PhoneError with a message and a hint in Chinese."""
    text = raw.strip()
    if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", text):
        raise PhoneError("号码被表格软件转成了科学计数法", "把电话列设为“文本”格式后重新输入完整号码，如 023-68781234")
    extension = ""
    if match := _EXTENSION.match(text):
        text, extension = match["number"], match["ext"]
    digits = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"\+?\d+", digits):
        raise PhoneError("不是电话号码", "只填写号码，如 023-68781234、13812345678 或 12345；多个号码用 ; 分隔")
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        raise PhoneError("不是有效的中国电话号码", _VALID_FORMS) from None
    if shortnumberinfo.is_valid_short_number_for_region(number, "CN") and not digits.startswith(("0", "+")):
        return Phone(display=digits, tel=digits, kind="short", extension=extension)
    national = str(number.national_number)
    if len(digits) == 10 and digits[0] in "23456789" and not digits.startswith(("400", "800")):
        fixed = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL).replace(" ", "-", 1).replace(" ", "")
        raise PhoneError("号码开头少了 0（表格软件把它当成了数字）", f"应为 {fixed}，并把电话列设为“文本”格式")
    if len(digits) in (7, 8) and not digits.startswith(("0", "1")):
        raise PhoneError("固定电话缺少区号", f"重庆的固定电话应写作 023-{digits}")
    if not phonenumbers.is_valid_number_for_region(number, "CN") or number.country_code != 86:
        raise PhoneError("不是有效的中国电话号码", _VALID_FORMS)
    kind = _KINDS.get(phonenumbers.number_type(number), "landline")
    return Phone(display=_display(national, kind), tel="+86" + national, kind=kind, extension=extension)


def _display(national: str, kind: str) -> str:
    if kind == "mobile":
        return f"{national[:3]}-{national[3:7]}-{national[7:]}"
    if kind == "toll_free":
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    # Landline: area codes are two digits after the 0 for big cities (023), three elsewhere.
    area_len = 2 if national[0] in "12" else 3
    return f"0{national[:area_len]}-{national[area_len:]}"
