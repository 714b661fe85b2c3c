"""What each import reads: its fields, which are required, and the header words
(English, Persian, Arabic, Russian) that name them in the files people have.

Pure data; ``import_mapping`` matches headers against it. ``TEXT_LIMITS`` says how long
each text field may be. Synonyms are written as one
string separated by ``|``, to keep the lists readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qa_monitor.storage.people_repo import NAME_LIMIT


class ImportKind(StrEnum):
    ROSTER = "roster"  # agents and teams
    INTERACTIONS = "interactions"  # a call log
    SURVEYS = "surveys"  # CSAT / NPS / CES / resolved, by interaction external id


@dataclass(frozen=True, slots=True)
class ImportField:
    name: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


def _w(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split("|") if word.strip())


_AGENT_NAME = _w(
    "agent | agent name | name | full name | employee | employee name | operator | operator name | "
    "representative | rep | user | user name | نام | نام کارشناس | کارشناس | اپراتور | نام اپراتور "
    "| نام و نام خانوادگی | الاسم | اسم | اسم الموظف | الموظف | الوكيل | اسم الوكيل | имя | фио | "
    "оператор | сотрудник | агент | имя оператора"
)
_AGENT_ID = _w(
    "agent id | agent external id | agent code | employee id | employee number | staff id | login "
    "| login id | extension | operator id | user id | کد کارشناس | شناسه کارشناس | کد پرسنلی | "
    "شماره پرسنلی | کد اپراتور | رقم الموظف | الرقم الوظيفي | معرف الموظف | رقم الوكيل | табельный "
    "номер | id оператора | логин | код сотрудника | код оператора"
)
_TEAM = _w(
    "team | team name | group | department | تیم | نام تیم | گروه | واحد | الفريق | المجموعة | "
    "القسم | команда | группа | отдел"
)
_EXTERNAL_ID = _w(
    "call id | interaction id | interaction | external id | id | ticket | ticket id | chat id | "
    "conversation id | session id | unique id | uniqueid | call uuid | contact id | record id | "
    "شناسه تماس | کد تماس | شناسه | معرف المكالمة | رقم المكالمة | المعرف | id звонка | номер "
    "звонка | идентификатор | ид"
)
_RESOLVED = _w(
    "resolved | fcr | first contact resolution | solved | resolved first contact | حل شد | حل شده "
    "| تم الحل | решено | решен | решён"
)

FIELDS: dict[ImportKind, tuple[ImportField, ...]] = {
    ImportKind.ROSTER: (
        ImportField(
            "agent_name",
            "Agent name",
            True,
            _AGENT_NAME,
        ),
        ImportField(
            "agent_external_id",
            "Agent id (phone system)",
            False,
            _AGENT_ID,
        ),
        ImportField(
            "team",
            "Team",
            False,
            _TEAM,
        ),
        ImportField(
            "email",
            "Email",
            False,
            _w(
                "email | e mail | mail | email address | ایمیل | پست الکترونیک | البريد الإلكتروني "
                "| الإيميل | почта | эл почта | электронная почта"
            ),
        ),
        ImportField(
            "hire_date",
            "Hire date",
            False,
            _w(
                "hire date | hired | start date | joined | date joined | تاریخ استخدام | تاريخ "
                "التعيين | дата приема | дата приёма | дата найма"
            ),
        ),
        ImportField(
            "active",
            "Active",
            False,
            _w("active | is active | employed | فعال | نشط | активен | активный"),
        ),
    ),
    ImportKind.INTERACTIONS: (
        ImportField(
            "external_id",
            "Interaction id",
            True,
            _EXTERNAL_ID,
        ),
        ImportField(
            "started_at",
            "Start date/time",
            True,
            _w(
                "start | start time | started | started at | date time | datetime | date | call "
                "date | call time | call start | timestamp | created | created at | تاریخ | تاریخ "
                "و زمان | زمان شروع | تاریخ تماس | زمان تماس | التاريخ | وقت البدء | تاريخ "
                "المكالمة | дата | дата и время | начало | время начала | дата звонка"
            ),
        ),
        ImportField(
            "start_time",
            "Start time (if apart from the date)",
            False,
            _w("time | hour | زمان | ساعت | الوقت | الساعة | время"),
        ),
        ImportField(
            "agent_external_id",
            "Agent id (phone system)",
            False,
            _AGENT_ID,
        ),
        ImportField(
            "agent_name",
            "Agent name",
            False,
            _AGENT_NAME,
        ),
        ImportField(
            "team",
            "Team",
            False,
            _TEAM,
        ),
        ImportField(
            "channel",
            "Channel",
            False,
            _w("channel | media | media type | interaction type | کانال | نوع | القناة | канал"),
        ),
        ImportField(
            "direction",
            "Direction",
            False,
            _w("direction | call direction | in out | جهت | جهت تماس | الاتجاه | направление"),
        ),
        ImportField(
            "duration",
            "Duration",
            False,
            _w(
                "duration | talk time | handle time | length | duration s | duration sec | seconds "
                "| call duration | مدت | مدت تماس | المدة | مدة المكالمة | длительность | "
                "продолжительность"
            ),
        ),
        ImportField(
            "queue",
            "Queue",
            False,
            _w("queue | skill | split | hunt group | صف | قائمة الانتظار | очередь"),
        ),
        ImportField(
            "customer_ref",
            "Customer",
            False,
            _w(
                "customer | customer id | customer ref | caller | caller id | ani | phone | phone "
                "number | account | msisdn | مشتری | کد مشتری | شماره مشتری | العميل | رقم العميل "
                "| клиент | номер клиента | абонент"
            ),
        ),
        ImportField(
            "contact_reason",
            "Contact reason",
            False,
            _w(
                "reason | contact reason | call reason | topic | subject | disposition | موضوع | "
                "دلیل تماس | السبب | سبب الاتصال | причина | тема | причина обращения"
            ),
        ),
        ImportField(
            "recording_path",
            "Recording file",
            False,
            _w(
                "recording | recording file | recording path | audio | audio file | فایل ضبط | ضبط "
                "| التسجيل | запись | файл записи"
            ),
        ),
        ImportField(
            "resolved",
            "Resolved on first contact",
            False,
            _RESOLVED,
        ),
    ),
    ImportKind.SURVEYS: (
        ImportField(
            "external_id",
            "Interaction id",
            True,
            _EXTERNAL_ID,
        ),
        ImportField(
            "csat",
            "CSAT (1–5)",
            False,
            _w(
                "csat | satisfaction | csat score | customer satisfaction | رضایت | رضایت مشتری | "
                "الرضا | رضا العملاء | удовлетворенность | удовлетворённость"
            ),
        ),
        ImportField(
            "nps",
            "NPS (0–10)",
            False,
            _w(
                "nps | recommend | likelihood to recommend | nps score | توصیه | احتمال توصیه | "
                "التوصية | рекомендация | готовность рекомендовать"
            ),
        ),
        ImportField(
            "ces",
            "CES (1–7)",
            False,
            _w(
                "ces | effort | customer effort | ces score | سهولت | تلاش مشتری | الجهد | усилие "
                "| усилия клиента"
            ),
        ),
        ImportField(
            "resolved",
            "Resolved",
            False,
            _RESOLVED,
        ),
        ImportField(
            "survey_at",
            "Survey date",
            False,
            _w(
                "survey date | survey time | survey at | responded | response date | date | تاریخ "
                "نظرسنجی | تاریخ | تاريخ الاستبيان | التاريخ | дата опроса | дата"
            ),
        ),
    ),
}
# Beyond the required fields, an import needs one of each group mapped.
NEEDS_ONE_OF: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.ROSTER: (),
    ImportKind.INTERACTIONS: ("agent_external_id", "agent_name"),
    ImportKind.SURVEYS: ("csat", "nps", "ces", "resolved"),
}

# The most characters each text field accepts; a longer cell refuses its row with the
# limit and its length. Names are the people screen's (PeopleRepo.NAME_LIMIT), ids are
# codes from a phone or ticket system, an email address is at most 254 (RFC 5321);
# free text gets room for a sentence or a long file path. Fields not listed are
# parsed (dates, numbers, words), and their messages quote a shortened value.
TEXT_LIMITS: dict[str, int] = {
    "agent_name": NAME_LIMIT,
    "team": NAME_LIMIT,
    "agent_external_id": 100,
    "external_id": 100,
    "email": 254,
    "queue": 200,
    "customer_ref": 100,
    "contact_reason": 1000,
    "recording_path": 1000,
}
