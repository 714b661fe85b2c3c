<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
    <context>
        <name>AgentPeriodWidget</name>
        <message numerus="yes">
            <source>%n evaluation(s) counted in this period.</source>
            <translation>
                <numerusform>%n evaluation counted in this period.</numerusform>
                <numerusform>%n evaluations counted in this period.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>BackupSettingsGroup</name>
        <message numerus="yes">
            <source>The newest %n backup(s) will be kept.</source>
            <translation>
                <numerusform>The newest %n backup will be kept.</numerusform>
                <numerusform>The newest %n backups will be kept.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>BuildQueueDialog</name>
        <message numerus="yes">
            <source>%n call(s) added to the queue.</source>
            <translation>
                <numerusform>%n call added to the queue.</numerusform>
                <numerusform>%n calls added to the queue.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>A build would queue %n call(s). Press Build to write them.</source>
            <translation>
                <numerusform>A build would queue %n call. Press Build to write them.</numerusform>
                <numerusform>A build would queue %n calls. Press Build to write them.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{0}: %n call(s)</source>
            <translation>
                <numerusform>{0}: %n call</numerusform>
                <numerusform>{0}: %n calls</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Nobody (unassigned): %n call(s)</source>
            <translation>
                <numerusform>Nobody (unassigned): %n call</numerusform>
                <numerusform>Nobody (unassigned): %n calls</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n problem(s)</source>
            <translation>
                <numerusform>%n problem</numerusform>
                <numerusform>%n problems</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CalibrationScreen</name>
        <message numerus="yes">
            <source>%n session(s)</source>
            <translation>
                <numerusform>%n session</numerusform>
                <numerusform>%n sessions</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n reviewer(s) have not submitted: {0}. Reveal anyway? Their scores will not count in this session, and nobody can score it after the reveal.</source>
            <translation>
                <numerusform>%n reviewer have not submitted: {0}. Reveal anyway? Their scores will not count in this session, and nobody can score it after the reveal.</numerusform>
                <numerusform>%n reviewers have not submitted: {0}. Reveal anyway? Their scores will not count in this session, and nobody can score it after the reveal.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CalibrationTexts</name>
        <message numerus="yes">
            <source>n = %n session(s)</source>
            <translation>
                <numerusform>n = %n session</numerusform>
                <numerusform>n = %n sessions</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>n = %n question(s)</source>
            <translation>
                <numerusform>n = %n question</numerusform>
                <numerusform>n = %n questions</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CallPicker</name>
        <message numerus="yes">
            <source>%n call(s); type to narrow them.</source>
            <translation>
                <numerusform>%n call; type to narrow them.</numerusform>
                <numerusform>%n calls; type to narrow them.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ChurnReasonsSettingsGroup</name>
        <message numerus="yes">
            <source>Saved: %n churn reason(s).</source>
            <translation>
                <numerusform>Saved: %n churn reason.</numerusform>
                <numerusform>Saved: %n churn reasons.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CoachingModels</name>
        <message numerus="yes">
            <source>%n improved</source>
            <translation>
                <numerusform>%n improved</numerusform>
                <numerusform>%n improved</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n declined</source>
            <translation>
                <numerusform>%n declined</numerusform>
                <numerusform>%n declined</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n within noise</source>
            <translation>
                <numerusform>%n within noise</numerusform>
                <numerusform>%n within noise</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n without enough data</source>
            <translation>
                <numerusform>%n without enough data</numerusform>
                <numerusform>%n without enough data</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CoachingScreen</name>
        <message numerus="yes">
            <source>The newest %n sessions; narrow the filters (agent, team, dates) to see older ones.</source>
            <translation>
                <numerusform>The newest %n sessions; narrow the filters (agent, team, dates) to see older ones.</numerusform>
                <numerusform>The newest %n sessions; narrow the filters (agent, team, dates) to see older ones.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n session(s)</source>
            <translation>
                <numerusform>%n session</numerusform>
                <numerusform>%n sessions</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Delete the coaching session with {0} on {1}, with its action plan of %n action(s)? This cannot be undone.</source>
            <translation>
                <numerusform>Delete the coaching session with {0} on {1}, with its action plan of %n action? This cannot be undone.</numerusform>
                <numerusform>Delete the coaching session with {0} on {1}, with its action plan of %n actions? This cannot be undone.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CoverageTab</name>
        <message numerus="yes">
            <source>Done {0} of %n target · {1} overdue · {2} unassigned</source>
            <translation>
                <numerusform>Done {0} of %n target · {1} overdue · {2} unassigned</numerusform>
                <numerusform>Done {0} of %n target · {1} overdue · {2} unassigned</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DisputeDialog</name>
        <message numerus="yes">
            <source>Check each question the agent disputes and write the agent's reason. Another reviewer re-reviews the dispute within %n working day(s) of the day the agent answered.</source>
            <translation>
                <numerusform>Check each question the agent disputes and write the agent's reason. Another reviewer re-reviews the dispute within %n working day of the day the agent answered.</numerusform>
                <numerusform>Check each question the agent disputes and write the agent's reason. Another reviewer re-reviews the dispute within %n working days of the day the agent answered.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n question(s) disputed.</source>
            <translation>
                <numerusform>%n question disputed.</numerusform>
                <numerusform>%n questions disputed.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DisputesScreen</name>
        <message numerus="yes">
            <source>%n open dispute(s), {0} overdue</source>
            <translation>
                <numerusform>%n open dispute, {0} overdue</numerusform>
                <numerusform>%n open disputes, {0} overdue</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n open dispute(s), none overdue</source>
            <translation>
                <numerusform>%n open dispute, none overdue</numerusform>
                <numerusform>%n open disputes, none overdue</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n evaluation(s) in the period</source>
            <translation>
                <numerusform>%n evaluation in the period</numerusform>
                <numerusform>%n evaluations in the period</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The re-review of {0}'s evaluation is saved; %n question(s) overturned.</source>
            <translation>
                <numerusform>The re-review of {0}'s evaluation is saved; %n question overturned.</numerusform>
                <numerusform>The re-review of {0}'s evaluation is saved; %n questions overturned.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>EvaluateScreen</name>
        <message numerus="yes">
            <source>%n problem(s) to fix before submitting</source>
            <translation>
                <numerusform>%n problem to fix before submitting</numerusform>
                <numerusform>%n problems to fix before submitting</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>EvaluationsScreen</name>
        <message numerus="yes">
            <source>the %n evaluation(s) that {0}</source>
            <translation>
                <numerusform>the %n evaluation that {0}</numerusform>
                <numerusform>the %n evaluations that {0}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>the %n evaluation(s) you picked</source>
            <translation>
                <numerusform>the %n evaluation you picked</numerusform>
                <numerusform>the %n evaluations you picked</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln evaluation(s)</source>
            <translation>
                <numerusform>%Ln evaluation</numerusform>
                <numerusform>%Ln evaluations</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message numerus="yes">
            <source>Exported %Ln evaluation(s) to {0} in {1} s.</source>
            <translation>
                <numerusform>Exported %Ln evaluation to {0} in {1} s.</numerusform>
                <numerusform>Exported %Ln evaluations to {0} in {1} s.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FilterSummaryWidget</name>
        <message numerus="yes">
            <source>%n evaluation(s) will be exported.</source>
            <translation>
                <numerusform>%n evaluation will be exported.</numerusform>
                <numerusform>%n evaluations will be exported.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FollowUpModel</name>
        <message numerus="yes">
            <source>n = %n</source>
            <translation>
                <numerusform>n = %n</numerusform>
                <numerusform>n = %n</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FormVersionPanel</name>
        <message numerus="yes">
            <source>%n evaluation(s) made with this version.</source>
            <translation>
                <numerusform>%n evaluation made with this version.</numerusform>
                <numerusform>%n evaluations made with this version.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FormsActions</name>
        <message numerus="yes">
            <source>{0} cannot be imported: %n problem(s). Nothing was imported; fix the file and import it again.</source>
            <translation>
                <numerusform>{0} cannot be imported: %n problem. Nothing was imported; fix the file and import it again.</numerusform>
                <numerusform>{0} cannot be imported: %n problems. Nothing was imported; fix the file and import it again.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Imported “{0}” from the scorecard as a draft: %n question(s).</source>
            <translation>
                <numerusform>Imported “{0}” from the scorecard as a draft: %n question.</numerusform>
                <numerusform>Imported “{0}” from the scorecard as a draft: %n questions.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Reviewers can no longer start evaluations with it. The %n evaluation(s) already made keep their version and stay in reports. You can bring it back at any time.</source>
            <translation>
                <numerusform>Reviewers can no longer start evaluations with it. The %n evaluation already made keep their version and stay in reports. You can bring it back at any time.</numerusform>
                <numerusform>Reviewers can no longer start evaluations with it. The %n evaluations already made keep their version and stay in reports. You can bring it back at any time.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FormsEditing</name>
        <message numerus="yes">
            <source>Fix %n problem(s) before publishing.</source>
            <translation>
                <numerusform>Fix %n problem before publishing.</numerusform>
                <numerusform>Fix %n problems before publishing.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Fix these %n problem(s) first; the draft is kept as it is.</source>
            <translation>
                <numerusform>Fix these %n problem first; the draft is kept as it is.</numerusform>
                <numerusform>Fix these %n problems first; the draft is kept as it is.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FormsTreeModel</name>
        <message numerus="yes">
            <source>{0} ({1}): %n version(s)</source>
            <translation>
                <numerusform>{0} ({1}): %n version</numerusform>
                <numerusform>{0} ({1}): %n versions</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ImportDialog</name>
        <message numerus="yes">
            <source>%n data row(s)</source>
            <translation>
                <numerusform>%n data row</numerusform>
                <numerusform>%n data rows</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MyQueueTab</name>
        <message numerus="yes">
            <source>%n open · {0} overdue · {1} skipped</source>
            <translation>
                <numerusform>%n open · {0} overdue · {1} skipped</numerusform>
                <numerusform>%n open · {0} overdue · {1} skipped</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>OutcomeTexts</name>
        <message numerus="yes">
            <source>FCR = contacts with no repeat within {5} days / judged contacts × 100 = {0} / {1} × 100 = {2}; 95 % Wilson interval {3}–{4}. Not judged yet: %n contact(s) within {5} days of now or of the end of the call log.</source>
            <translation>
                <numerusform>FCR = contacts with no repeat within {5} days / judged contacts × 100 = {0} / {1} × 100 = {2}; 95 % Wilson interval {3}–{4}. Not judged yet: %n contact within {5} days of now or of the end of the call log.</numerusform>
                <numerusform>FCR = contacts with no repeat within {5} days / judged contacts × 100 = {0} / {1} × 100 = {2}; 95 % Wilson interval {3}–{4}. Not judged yet: %n contacts within {5} days of now or of the end of the call log.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>This period's %n contact(s) cannot be judged yet: within {0} days of now or of the end of the call log.</source>
            <translation>
                <numerusform>This period's %n contact cannot be judged yet: within {0} days of now or of the end of the call log.</numerusform>
                <numerusform>This period's %n contacts cannot be judged yet: within {0} days of now or of the end of the call log.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>OutcomesScreen</name>
        <message numerus="yes">
            <source>%n contact(s) not judged yet</source>
            <translation>
                <numerusform>%n contact not judged yet</numerusform>
                <numerusform>%n contacts not judged yet</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ProfileCoaching</name>
        <message numerus="yes">
            <source>%n session(s)</source>
            <translation>
                <numerusform>%n session</numerusform>
                <numerusform>%n sessions</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n open action(s)</source>
            <translation>
                <numerusform>%n open action</numerusform>
                <numerusform>%n open actions</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n overdue</source>
            <translation>
                <numerusform>%n overdue</numerusform>
                <numerusform>%n overdue</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>QueueTableModel</name>
        <message numerus="yes">
            <source>%n working day(s)</source>
            <translation>
                <numerusform>%n working day</numerusform>
                <numerusform>%n working days</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>QueueWords</name>
        <message numerus="yes">
            <source>%n per agent per month</source>
            <translation>
                <numerusform>%n per agent per month</numerusform>
                <numerusform>%n per agent per month</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n per agent per week</source>
            <translation>
                <numerusform>%n per agent per week</numerusform>
                <numerusform>%n per agent per week</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>At least %n minute(s) long</source>
            <translation>
                <numerusform>At least %n minute long</numerusform>
                <numerusform>At least %n minutes long</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Agents in their first %n day(s)</source>
            <translation>
                <numerusform>Agents in their first %n day</numerusform>
                <numerusform>Agents in their first %n days</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>At least %n {0} call(s)</source>
            <translation>
                <numerusform>At least %n {0} call</numerusform>
                <numerusform>At least %n {0} calls</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RestoreDialog</name>
        <message numerus="yes">
            <source>%n backup(s) found.</source>
            <translation>
                <numerusform>%n backup found.</numerusform>
                <numerusform>%n backups found.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ReviewerQualityScreen</name>
        <message numerus="yes">
            <source>%n scored evaluation(s) in the period.</source>
            <translation>
                <numerusform>%n scored evaluation in the period.</numerusform>
                <numerusform>%n scored evaluations in the period.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n calibration session(s).</source>
            <translation>
                <numerusform>%n calibration session.</numerusform>
                <numerusform>%n calibration sessions.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{0}: {1} (%n evaluation(s))</source>
            <translation>
                <numerusform>{0}: {1} (%n evaluation)</numerusform>
                <numerusform>{0}: {1} (%n evaluations)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RulesModel</name>
        <message numerus="yes">
            <source>%n working day(s) after the period</source>
            <translation>
                <numerusform>%n working day after the period</numerusform>
                <numerusform>%n working days after the period</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ScorePanelWidget</name>
        <message numerus="yes">
            <source>%1 (provisional: %n question(s) to answer)</source>
            <translation>
                <numerusform>%1 (provisional: %n question to answer)</numerusform>
                <numerusform>%1 (provisional: %n questions to answer)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ScorecardImportDialog</name>
        <message numerus="yes">
            <source>%n problem(s):</source>
            <translation>
                <numerusform>%n problem:</numerusform>
                <numerusform>%n problems:</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SessionTableModel</name>
        <message numerus="yes">
            <source>%n overdue</source>
            <translation>
                <numerusform>%n overdue</numerusform>
                <numerusform>%n overdue</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SettingsScreen</name>
        <message numerus="yes">
            <source>Saved: a dispute now waits at most %n working day(s) for its re-review.</source>
            <translation>
                <numerusform>Saved: a dispute now waits at most %n working day for its re-review.</numerusform>
                <numerusform>Saved: a dispute now waits at most %n working days for its re-review.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SyncCounts</name>
        <message numerus="yes">
            <source>Synced %n min ago</source>
            <translation>
                <numerusform>Synced %n min ago</numerusform>
                <numerusform>Synced %n min ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Synced %n h ago</source>
            <translation>
                <numerusform>Synced %n h ago</numerusform>
                <numerusform>Synced %n h ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Syncing… %Ln change(s) received</source>
            <translation>
                <numerusform>Syncing… %Ln change received</numerusform>
                <numerusform>Syncing… %Ln changes received</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln change(s) waiting</source>
            <translation>
                <numerusform>%Ln change waiting</numerusform>
                <numerusform>%Ln changes waiting</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln sync conflict(s)</source>
            <translation>
                <numerusform>%Ln sync conflict</numerusform>
                <numerusform>%Ln sync conflicts</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln sync conflict(s) to look at (File ▸ Sync conflicts).</source>
            <translation>
                <numerusform>%Ln sync conflict to look at (File ▸ Sync conflicts).</numerusform>
                <numerusform>%Ln sync conflicts to look at (File ▸ Sync conflicts).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TeamSyncUi</name>
        <message numerus="yes">
            <source>Sync &amp;conflicts (%n)…</source>
            <translation>
                <numerusform>Sync &amp;conflicts (%n)…</numerusform>
                <numerusform>Sync &amp;conflicts (%n)…</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TeamTableModel</name>
        <message numerus="yes">
            <source>%n active agent(s)</source>
            <translation>
                <numerusform>%n active agent</numerusform>
                <numerusform>%n active agents</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>, %n inactive</source>
            <translation>
                <numerusform>, %n inactive</numerusform>
                <numerusform>, %n inactive</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FormsScreen</name>
        <message numerus="yes">
            <source>{0} cannot be imported: %n problem(s). Nothing was imported; fix the file and import it again.</source>
            <translation>
                <numerusform>{0} cannot be imported: %n problem. Nothing was imported; fix the file and import it again.</numerusform>
                <numerusform>{0} cannot be imported: %n problems. Nothing was imported; fix the file and import it again.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Imported “{0}” from the scorecard as a draft: %n question(s).</source>
            <translation>
                <numerusform>Imported “{0}” from the scorecard as a draft: %n question.</numerusform>
                <numerusform>Imported “{0}” from the scorecard as a draft: %n questions.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Reviewers can no longer start evaluations with it. The %n evaluation(s) already made keep their version and stay in reports. You can bring it back at any time.</source>
            <translation>
                <numerusform>Reviewers can no longer start evaluations with it. The %n evaluation already made keep their version and stay in reports. You can bring it back at any time.</numerusform>
                <numerusform>Reviewers can no longer start evaluations with it. The %n evaluations already made keep their version and stay in reports. You can bring it back at any time.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FormsScreen</name>
        <message numerus="yes">
            <source>Fix %n problem(s) before publishing.</source>
            <translation>
                <numerusform>Fix %n problem before publishing.</numerusform>
                <numerusform>Fix %n problems before publishing.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Fix these %n problem(s) first; the draft is kept as it is.</source>
            <translation>
                <numerusform>Fix these %n problem first; the draft is kept as it is.</numerusform>
                <numerusform>Fix these %n problems first; the draft is kept as it is.</numerusform>
            </translation>
        </message>
    </context>
</TS>