"""Fictional rows for the phone tests and screenshots: every venue has a point, a phone and
hours, like the atlas the issue was tried with; care sites and holiday venues in two towns."""

from __future__ import annotations

from .conftest import row
from .test_quality import ROWS_ALL

HOURS = "Mo-Su 08:00-20:00"
CARE = [
    row(id="example-care-hy1", name="示例托管点华岩一", category="holiday_care", street="华岩镇", address="重庆市九龙坡区示例镇示例路11号",
        lat="29.4790", lon="106.4460", phone="023-68781001", opening_hours=HOURS, holiday_service="暑假;寒假", stages="小学低段;小学高段"),
    row(id="example-care-hy2", name="示例托管点华岩二", category="holiday_care", street="华岩镇", address="重庆市九龙坡区示例镇示例路12号",
        lat="29.4700", lon="106.4400", phone="023-68781002", opening_hours=HOURS, holiday_service="课后;周末", stages="小学低段"),
    row(id="example-care-yjp", name="示例托管点杨家坪", category="holiday_care", street="杨家坪街道", address="重庆市九龙坡区示例路13号",
        lat="29.5080", lon="106.5100", phone="023-68781003", opening_hours=HOURS, holiday_service="暑假", stages="小学高段"),
]
# Venues open in the holidays, closer to the phone than the care sites are.
VENUES = [
    row(id=f"example-open-{n}", name=f"示例假期场馆{n}", category=("sports", "culture", "nature")[n % 3], street="华岩镇",
        address=f"重庆市九龙坡区示例镇示例路{20 + n}号", lat=f"{29.4781 + n * 0.0001:.4f}", lon=f"{106.4451 + n * 0.0001:.4f}",
        phone=f"023-6878{2000 + n}", opening_hours=HOURS, holiday_service=("暑假", "寒假;暑假", "周末")[n % 3])
    for n in range(6)
]
# Verified, and deliberately without phone, booking, hours or fee.
PLAIN = [row(id="example-plain", name="示例无电话场馆", category="library", street="石桥铺街道", address="重庆市九龙坡区示例路30号",
             lat="29.5390", lon="106.4820", verified_on="2026-09-15")]
ROWS_PHONE = ROWS_ALL + CARE + VENUES + PLAIN
HERE = (29.4781, 106.4451)  # the phone, in 华岩镇: the holiday venues are nearer than any care site
