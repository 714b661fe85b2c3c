"""Every repository over one open database, built once and passed to the services."""

from __future__ import annotations

from qa_monitor.storage.audit_repo import AuditRepo
from qa_monitor.storage.calibration_repo import CalibrationRepo
from qa_monitor.storage.coaching_repo import CoachingRepo
from qa_monitor.storage.database import Database
from qa_monitor.storage.dispute_repo import DisputeRepo
from qa_monitor.storage.evaluation_query import EvaluationQuery
from qa_monitor.storage.evaluation_repo import EvaluationRepo
from qa_monitor.storage.form_repo import FormRepo
from qa_monitor.storage.interaction_repo import InteractionRepo
from qa_monitor.storage.people_repo import PeopleRepo
from qa_monitor.storage.settings_repo import SettingsRepo


class Repos:
    def __init__(self, db: Database):
        self.db = db
        self.people = PeopleRepo(db)
        self.forms = FormRepo(db)
        self.interactions = InteractionRepo(db)
        self.evaluations = EvaluationRepo(db)
        self.evaluation_query = EvaluationQuery(db)
        self.audit = AuditRepo(db)
        self.settings = SettingsRepo(db)
        self.disputes = DisputeRepo(db)
        self.coaching = CoachingRepo(db)
        self.calibration = CalibrationRepo(db)
