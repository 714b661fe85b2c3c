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
    CUSTOMER_COUNTS = "customer_counts"  # customers at start, at end, new, per period
    CUSTOMERS = "customers"  # a customer list with start and end dates
    CHURN_EVENTS = "churn_events"  # customers who left: when, why, after which call


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

_CUSTOMER = _w(
    "customer | customer id | customer ref | customer number | account | account id | "
    "account number | subscriber | msisdn | client | client id | مشتری | کد مشتری | شماره "
    "مشتری | شماره اشتراک | مشترک | العميل | رقم العميل | رقم الحساب | المشترك | клиент | "
    "номер клиента | абонент | лицевой счет | лицевой счёт"
)
_SEGMENT = _w(
    "segment | customer segment | plan | product | tier | region | بخش | سگمنت | طرح | "
    "محصول | منطقه | الشريحة | الفئة | الخطة | المنتج | المنطقة | сегмент | тариф | продукт "
    "| регион"
)
_PERIOD_START = _w(
    "period start | start | from | start date | period from | date from | beginning | "
    "شروع دوره | از تاریخ | از | ابتدای دوره | بداية الفترة | من | من تاريخ | начало "
    "периода | с | дата начала"
)
_PERIOD_END = _w(
    "period end | end | to | end date | period to | date to | until | پایان دوره | تا تاریخ "
    "| تا | انتهای دوره | نهاية الفترة | إلى | إلى تاريخ | конец периода | по | дата "
    "окончания"
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
    ImportKind.CUSTOMER_COUNTS: (
        ImportField("period_start", "Period start", True, _PERIOD_START),
        ImportField("period_end", "Period end", True, _PERIOD_END),
        ImportField("team", "Team", False, _TEAM),
        ImportField("segment", "Segment", False, _SEGMENT),
        ImportField(
            "customers_start",
            "Customers at the start (S)",
            True,
            _w(
                "s | customers at start | start customers | customers start | opening "
                "customers | opening balance | at start | مشتریان ابتدای دوره | مشتریان اول "
                "دوره | تعداد اول دوره | العملاء في البداية | عملاء البداية | клиентов на "
                "начало | на начало"
            ),
        ),
        ImportField(
            "customers_end",
            "Customers at the end (E)",
            True,
            _w(
                "e | customers at end | end customers | customers end | closing customers | "
                "closing balance | at end | مشتریان پایان دوره | مشتریان آخر دوره | تعداد آخر "
                "دوره | العملاء في النهاية | عملاء النهاية | клиентов на конец | на конец"
            ),
        ),
        ImportField(
            "customers_new",
            "New customers (N)",
            True,
            _w(
                "n | new customers | new | customers new | gained | acquired | added | "
                "مشتریان جدید | جدید | العملاء الجدد | جدد | новых клиентов | новые клиенты | "
                "новые"
            ),
        ),
    ),
    ImportKind.CUSTOMERS: (
        ImportField("customer_ref", "Customer", True, _CUSTOMER),
        ImportField(
            "started_on",
            "Customer since",
            True,
            _w(
                "customer since | start date | started | since | joined | signup | sign up | "
                "signup date | activation date | activated | contract start | تاریخ عضویت | "
                "تاریخ شروع | تاریخ فعال سازی | تاريخ الاشتراك | تاريخ البدء | تاريخ التفعيل | "
                "дата подключения | клиент с | дата начала"
            ),
        ),
        ImportField(
            "ended_on",
            "Left on",
            False,
            _w(
                "left on | end date | ended | cancelled | canceled | cancellation date | churn "
                "date | churned | terminated | contract end | تاریخ لغو | تاریخ قطع | تاریخ "
                "ریزش | تاريخ الإلغاء | تاريخ الانتهاء | дата отключения | дата ухода | дата "
                "расторжения"
            ),
        ),
        ImportField("team", "Team", False, _TEAM),
        ImportField("segment", "Segment", False, _SEGMENT),
    ),
    ImportKind.CHURN_EVENTS: (
        ImportField("customer_ref", "Customer", True, _CUSTOMER),
        ImportField(
            "churned_on",
            "Left on",
            True,
            _w(
                "left on | churn date | churned | churned on | date | cancellation date | "
                "cancelled | canceled | lost on | تاریخ ریزش | تاریخ لغو | تاریخ | تاريخ "
                "الإلغاء | التاريخ | дата ухода | дата отключения | дата"
            ),
        ),
        ImportField(
            "reason",
            "Reason",
            False,
            _w(
                "reason | churn reason | cancellation reason | why | cause | دلیل | دلیل ریزش | "
                "علت | السبب | سبب الإلغاء | причина | причина ухода"
            ),
        ),
        ImportField("external_id", "Interaction id", False, _EXTERNAL_ID),
        ImportField("team", "Team", False, _TEAM),
    ),
}
# Beyond the required fields, an import needs one of each group mapped.
NEEDS_ONE_OF: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.ROSTER: (),
    ImportKind.INTERACTIONS: ("agent_external_id", "agent_name"),
    ImportKind.SURVEYS: ("csat", "nps", "ces", "resolved"),
    ImportKind.CUSTOMER_COUNTS: (),
    ImportKind.CUSTOMERS: (),
    ImportKind.CHURN_EVENTS: (),
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
    "segment": 200,
    "reason": 1000,
}


# What a team server lets only supervisors and admins write (its row-level security):
# the roster makes teams and agents; customer data is the centre's, not a reviewer's.
SUPERVISOR_IMPORTS = frozenset(
    {ImportKind.ROSTER, ImportKind.CUSTOMER_COUNTS, ImportKind.CUSTOMERS, ImportKind.CHURN_EVENTS}
)


def import_refusal(kind: ImportKind, role: str | None) -> str | None:
    """Why this installation's team-server login may not import ``kind`` (None: it may).
    Refusing here, before anything is written, spares the user a change the server
    would refuse at the next sync and that would then wait on this computer."""
    if role == "agent":
        return (
            "This installation signs in to the team server as an agent, and an agent's "
            "login imports nothing; ask a supervisor to import the file."
        )
    if role == "reviewer" and kind in SUPERVISOR_IMPORTS:
        if kind is ImportKind.ROSTER:
            return (
                "On the team server only a supervisor's or an admin's login imports the "
                "roster, and this installation signs in as a reviewer; ask a supervisor "
                "to import the file."
            )
        return (
            "On the team server only a supervisor's or an admin's login imports customer "
            "data, and this installation signs in as a reviewer; ask a supervisor to "
            "import the file."
        )
    return None
