// The Japanese era dates of read_date() (spec §13) against ICU's Japanese calendar
// (icu::Calendar with @calendar=japanese): every era boundary a few days either side
// and a day about every three months from 明治6年1月1日 on, each written in its era
// (as kanji, with kanji numerals, and as letters) and in the era next to it.

#include <doctest/doctest.h>

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "members/member_fixes.h"
#include "members/member_rules.h"

using namespace kaiin;

namespace {

// ICU's eras of the Japanese calendar from 明治 on, with how kaiin writes them.
struct icu_era {
  int number;  // UCAL_ERA
  const char* kanji;
  char letter;
};
constexpr icu_era icu_eras[] = {
    {232, "明治", 'M'}, {233, "大正", 'T'}, {234, "昭和", 'S'}, {235, "平成", 'H'}, {236, "令和", 'R'}};

// A day as ICU's Japanese calendar has it: its era (an index of icu_eras, -1 before
// 明治) and its year, month and day in that era.
struct japanese_day {
  int era = -1, year = 0, month = 0, day = 0;
};

class icu_japanese {
 public:
  icu_japanese() {
    UErrorCode status = U_ZERO_ERROR;
    japanese_.reset(icu::Calendar::createInstance(icu::TimeZone::createTimeZone("UTC"),
                                                  icu::Locale("ja_JP@calendar=japanese"), status));
    gregorian_ = std::make_unique<icu::GregorianCalendar>(icu::TimeZone::createTimeZone("UTC"), status);
    REQUIRE(U_SUCCESS(status));
  }
  japanese_day of(const date& d) {
    UErrorCode status = U_ZERO_ERROR;
    gregorian_->clear();
    gregorian_->set(d.year, d.month - 1, d.day, 12, 0, 0);
    japanese_->setTime(gregorian_->getTime(status), status);
    japanese_day j;
    const int era = japanese_->get(UCAL_ERA, status);
    for (int i = 0; i < 5; ++i)
      if (icu_eras[i].number == era) j.era = i;
    j.year = japanese_->get(UCAL_YEAR, status);
    j.month = japanese_->get(UCAL_MONTH, status) + 1;
    j.day = japanese_->get(UCAL_DATE, status);
    REQUIRE(U_SUCCESS(status));
    return j;
  }
  // The Gregorian day \p days after \p d.
  date plus(const date& d, int days) {
    UErrorCode status = U_ZERO_ERROR;
    gregorian_->clear();
    gregorian_->set(d.year, d.month - 1, d.day, 12, 0, 0);
    gregorian_->add(UCAL_DATE, days, status);
    date out{gregorian_->get(UCAL_YEAR, status), gregorian_->get(UCAL_MONTH, status) + 1,
             gregorian_->get(UCAL_DATE, status)};
    REQUIRE(U_SUCCESS(status));
    return out;
  }

 private:
  std::unique_ptr<icu::Calendar> japanese_;
  std::unique_ptr<icu::GregorianCalendar> gregorian_;
};

// Kanji numerals as dates write them: 十一, 二十, 三十一; 元 for the first year.
std::string kanji_number(int n) {
  static const char* digits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  std::string s = n >= 20 ? std::string(digits[n / 10]) + "十" : n >= 10 ? "十" : "";
  return s + digits[n % 10];
}

// The ways a day of era \p e, year \p y is written.
std::vector<std::string> written(int e, int y, int m, int d) {
  const icu_era& era = icu_eras[e];
  const std::string year = y == 1 ? "元" : std::to_string(y);
  return {fmt::format("{}{}年{}月{}日", era.kanji, year, m, d),
          fmt::format("{}{}年{}月{}日", era.kanji, y == 1 ? "元" : kanji_number(y), kanji_number(m), kanji_number(d)),
          fmt::format("{}{}.{}.{}", era.letter, y, m, d)};
}

}  // namespace

TEST_CASE("Japanese era dates are ICU's Japanese calendar's, and a day outside its era is refused saying why") {
  icu_japanese icu;
  // Every boundary a week either side, and a day about every three months from the
  // day Japan took the Gregorian calendar.
  std::vector<date> days;
  for (const date& boundary :
       {date{1873, 1, 1}, date{1912, 7, 30}, date{1926, 12, 25}, date{1989, 1, 8}, date{2019, 5, 1}})
    for (int k = -7; k <= 7; ++k) days.push_back(icu.plus(boundary, k));
  for (date d{1873, 1, 1}; d < date{2030, 1, 1}; d = icu.plus(d, 91)) days.push_back(d);

  std::size_t cases = 0, wrong = 0;
  auto miss = [&](const std::string& v, const std::string& what) {
    ++wrong;
    MESSAGE(v << ": " << what);
  };
  for (const date& d : days) {
    const japanese_day j = icu.of(d);
    if (d < date{1873, 1, 1}) {
      // The old calendar's days: 明治1-5年 (ICU counts them as Gregorian days, which
      // they were not); kaiin refuses them, saying why.
      CHECK(j.era == 0);
      for (const std::string& v : written(0, d.year - 1867, d.month, d.day)) {
        ++cases;
        const auto why = why_no_era_date(v);
        if (read_date(v) || !why || why->why != era_refusal::old_calendar) miss(v, "not refused as the old calendar's");
      }
      continue;
    }
    REQUIRE(j.era >= 0);
    // In its era, as ICU has it: the day itself.
    for (const std::string& v : written(j.era, j.year, j.month, j.day)) {
      ++cases;
      if (read_date(v) != d) miss(v, "not ICU's day");
      if (why_no_era_date(v)) miss(v, "refused");
    }
    CHECK(japanese_date(d) == written(j.era, j.year, j.month, j.day)[0]);
    // In the eras next to it, counting their years on: refused, naming ICU's day.
    for (int e : {j.era - 1, j.era + 1}) {
      if (e < 0 || e > 4) continue;
      const int offset = e == 0 ? 1867 : e == 1 ? 1911 : e == 2 ? 1925 : e == 3 ? 1988 : 2018;
      const int y = d.year - offset;
      if (y < 1) continue;
      for (const std::string& v : written(e, y, d.month, d.day)) {
        ++cases;
        const auto why = why_no_era_date(v);
        const bool said = why && why->day == d &&
                          japanese_date(why->day) == written(j.era, j.year, j.month, j.day)[0] &&
                          why->why == (e < j.era ? era_refusal::after_end : era_refusal::before_start);
        if (read_date(v) || !said) miss(v, "read, or refused for another reason");
      }
    }
  }
  CHECK(cases >= 559);
  CHECK(wrong == 0);
}

TEST_CASE("a date refused for its era says which day it is") {
  const date now{2026, 1, 1};
  auto message = [&](std::string_view v) { return check_birthday(v, now)->message; };
  CHECK(message("平成31年5月1日") ==
        "birthday '平成31年5月1日' is after 平成 ended on 2019/04/30: that day is 令和元年5月1日, 2019/05/01");
  CHECK(message("H元.1.7") ==
        "birthday 'H元.1.7' is before 平成 began on 1989/01/08: that day is 昭和64年1月7日, 1989/01/07");
  CHECK(message("明治5年12月2日").find("old lunisolar calendar") != std::string::npos);
  CHECK(message("明治5年12月2日").find("明治6年1月1日 (1873/01/01)") != std::string::npos);
  CHECK_FALSE(check_birthday("平成31年5月1日", now)->fix);  // refused: the user says which was meant
  // No day at all: the plain message.
  CHECK(message("平成2年2月30日").find("is not a real date") != std::string::npos);
}

TEST_CASE("kanji numerals") {
  CHECK(read_date("平成三十一年四月三十日") == date{2019, 4, 30});
  CHECK(read_date("令和元年五月一日") == date{2019, 5, 1});
  CHECK(read_date("昭和二十年八月十五日") == date{1945, 8, 15});
  CHECK(read_date("平成十一年十一月十一日") == date{1999, 11, 11});
  CHECK(read_date("二〇〇一年二月三日") == date{2001, 2, 3});
  CHECK(read_date("二○○一年二月三日") == date{2001, 2, 3});  // ○, as zero is often typed
  CHECK(read_date("平成三一年四月三〇日") == date{2019, 4, 30});
  CHECK(read_date("平成 三十一年 四月 三十日") == date{2019, 4, 30});
  CHECK_FALSE(read_date("平成三十一二年四月三十日"));
  CHECK_FALSE(read_date("平成〇十年四月三十日"));
  CHECK_FALSE(read_date("二〇〇一〇年二月三日"));
  CHECK_FALSE(read_date("十年"));
  CHECK_FALSE(read_date("平成三十二年二月三十日"));  // 2020/02/30: no day
  CHECK(fix_birthday("平成三十一年四月三十日", date{2026, 1, 1}) == "2019/04/30");
}
