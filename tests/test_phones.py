import pytest

from atlas.phones import PhoneError, parse_phone


@pytest.mark.parametrize(
    "raw,display,tel,kind",
    [
        ("023-68781234", "023-68781234", "+862368781234", "landline"),
        ("(023)68781234", "023-68781234", "+862368781234", "landline"),
        ("023 6878 1234", "023-68781234", "+862368781234", "landline"),
        ("+86 23 6878 1234", "023-68781234", "+862368781234", "landline"),
        ("0755-12345678", "0755-12345678", "+8675512345678", "landline"),
        ("13812345678", "138-1234-5678", "+8613812345678", "mobile"),
        ("400-810-8888", "400-810-8888", "+864008108888", "toll_free"),
        ("800-820-8820", "800-820-8820", "+868008208820", "toll_free"),
        ("12345", "12345", "12345", "short"),
        ("12355", "12355", "12355", "short"),
    ],
)
def test_valid_numbers(raw, display, tel, kind):
    phone = parse_phone(raw)
    assert (phone.display, phone.tel, phone.kind) == (display, tel, kind)


def test_extension_is_kept_apart():
    phone = parse_phone("023-68781234转8001")
    assert phone.tel == "+862368781234" and phone.extension == "8001"


def test_a_landline_that_lost_its_zero_is_reported_with_the_fix():
    with pytest.raises(PhoneError) as error:
        parse_phone("2368781234")
    assert "少了 0" in error.value.message
    assert "023-68781234" in error.value.hint


@pytest.mark.parametrize(
    "raw,words",
    [
        ("68781234", "缺少区号"),
        ("2.36878E+09", "科学计数法"),
        ("023-6878123", "不是有效"),
        ("+1 212 555 0100", "不是有效"),
        ("电话咨询", "不是电话号码"),
        ("1", "不是有效"),
        ("9" * 40, "不是有效"),
    ],
)
def test_invalid_numbers_say_why(raw, words):
    with pytest.raises(PhoneError) as error:
        parse_phone(raw)
    assert words in error.value.message
