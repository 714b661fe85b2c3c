"""Words for the demo database: reviewer comments tied to questions, overall comments,
contact reasons, dispute reasons and short transcripts.

Comments are matched to a question by keywords in its text, so any form (shipped or
user-made) gets comments that read as if a reviewer wrote them about that question.
"""

from __future__ import annotations

from qa_monitor.core.forms import Category, Question

# (keywords looked for in the question text, comments for an answer short of full marks)
_MISS_COMMENTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("greet", "introduc", "opening", "open the"),
        (
            "Skipped the standard greeting.",
            "Did not give their name at the start of the call.",
            "Opening was rushed; the customer asked who they were speaking to.",
        ),
    ),
    (
        ("verif", "identity", "security", "authenticat"),
        (
            "Account details discussed before the customer was verified.",
            "Only one security question asked; two are required.",
            "Verification skipped because the customer sounded familiar.",
        ),
    ),
    (
        ("empath", "frustrat", "feel"),
        (
            "No acknowledgement of the customer's frustration.",
            "Sounded scripted when the customer described the outage.",
            "Could have apologised for the repeated problem.",
        ),
    ),
    (
        ("listen", "heard", "interrupt"),
        (
            "Interrupted the customer twice while they explained the issue.",
            "Asked for information the customer had already given.",
        ),
    ),
    (
        ("repeat", "clarif", "paraphras", "confirm", "understood"),
        (
            "Did not repeat back the request before acting on it.",
            "Assumed the problem instead of asking a clarifying question.",
        ),
    ),
    (
        ("jargon", "plain", "simple", "clear"),
        (
            "Used internal terms (provisioning, SLA) without explaining them.",
            "Explanation of the bill was hard to follow.",
        ),
    ),
    (
        ("name", "personal"),
        (
            "Never used the customer's name.",
            "Generic script; did not mention the customer's plan or history.",
        ),
    ),
    (
        ("history", "record", "notes", "previous"),
        (
            "Customer had to repeat the story from the last contact.",
            "Previous ticket notes were not checked.",
        ),
    ),
    (
        ("need", "probe", "identif", "understand"),
        (
            "Offered a solution before finding out what the customer needed.",
            "Missed the customer's real question about the contract end date.",
        ),
    ),
    (
        ("solution", "resolv", "fix", "solve", "address"),
        (
            "The workaround offered did not fully fix the problem.",
            "Issue left open; no next step agreed.",
            "Pushed a plan change that did not address the complaint.",
        ),
    ),
    (
        ("hold", "transfer", "silence", "dead air"),
        (
            "Put on hold without asking permission.",
            "Long silence while searching the knowledge base.",
            "Cold transfer without explaining why.",
        ),
    ),
    (
        ("rush", "pace", "time"),
        (
            "Hurried the customer towards the end of the call.",
            "Ended the call abruptly.",
        ),
    ),
    (
        ("callback", "call back", "follow"),
        (
            "Promised a callback but gave no date or time.",
            "No follow-up agreed although the case is still open.",
        ),
    ),
    (
        ("thank", "clos", "anything else"),
        (
            "Did not thank the customer for calling.",
            "No check whether there was anything else to help with.",
        ),
    ),
    (
        ("self-service", "self service", "app", "portal", "online", "faq"),
        ("Could have pointed to the self-service guide for next time.",),
    ),
    (
        ("disclos", "terms", "consent", "recorded", "privacy", "data", "legal", "complian"),
        (
            "Mandatory disclosure not read.",
            "Contract terms of the offer not stated.",
            "Card number read back in full.",
        ),
    ),
    (
        ("offer", "retention", "retain", "save", "discount", "cancel", "alternative"),
        (
            "Went straight to cancellation without a retention offer.",
            "Offer did not match the reason the customer gave for leaving.",
            "Did not explore a downgrade before accepting the cancellation.",
        ),
    ),
    (
        ("feedback", "reason", "dissatisf", "churn"),
        (
            "Reason for leaving not recorded.",
            "Did not ask why the customer was unhappy.",
        ),
    ),
    (
        ("tone", "courte", "polite", "professional", "friendly"),
        (
            "Tone became impatient when the customer pushed back.",
            "Sounded flat and disengaged.",
        ),
    ),
    (
        ("spelling", "grammar", "written", "format", "template"),
        (
            "Several typos in the reply.",
            "Pasted the template without adapting it to the question.",
        ),
    ),
    (
        ("response", "respond", "wait", "first reply"),
        (
            "First reply took far longer than the target.",
            "Long gaps between messages.",
        ),
    ),
    (
        ("don't know", "accurate", "correct information", "honest", "promise"),
        (
            "Gave a delivery date they could not know.",
            "Information about the fee was wrong.",
        ),
    ),
)

_CATEGORY_COMMENTS: dict[Category, tuple[str, ...]] = {
    Category.SOFT_SKILLS: (
        "Good effort, but the customer did not feel heard.",
        "Could show more warmth here.",
    ),
    Category.PROCESS: (
        "Step skipped; see the process guide.",
        "Not done in the expected order.",
    ),
    Category.COMPLIANCE: (
        "Compliance step missed; please review the checklist.",
        "Required wording not used.",
    ),
    Category.OUTCOME: (
        "The customer's issue is not settled yet.",
        "Outcome below expectations for this contact type.",
    ),
}

GOOD_COMMENTS: tuple[str, ...] = (
    "Well handled.",
    "Exactly as the guide describes.",
    "Nice touch.",
)

OVERALL_COMMENTS: dict[str, tuple[str, ...]] = {
    "high": (
        "Excellent call; a good example for the team meeting.",
        "Confident, warm and accurate throughout.",
        "Very good handling of a difficult customer.",
    ),
    "mid": (
        "Solid call with a few points to polish.",
        "Good outcome; watch the process steps noted above.",
        "Friendly and helpful; work on the closing.",
    ),
    "low": (
        "Let's go through this one together in coaching.",
        "Several basics missed; please review the call guide.",
        "The customer left without a clear answer.",
    ),
    "critical": (
        "Critical step missed: this call fails regardless of the rest.",
        "Please re-read the compliance checklist before your next shift.",
    ),
}

DISPUTE_REASONS: tuple[str, ...] = (
    "The customer had already been verified by the IVR.",
    "The hold was at the customer's request.",
    "The offer was not available for this plan.",
    "The recording cuts off before my closing.",
)

RESOLUTION_NOTES: tuple[str, ...] = (
    "Reviewed with the team lead; score stands.",
    "Agreed after listening again; noted for calibration.",
)

CONTACT_REASONS: dict[str, tuple[str, ...]] = {
    "retention": (
        "Wants to cancel",
        "Price increase",
        "Moving abroad",
        "Competitor offer",
        "Contract ending",
    ),
    "service": (
        "Billing question",
        "Technical fault",
        "Plan change",
        "Roaming activation",
        "Complaint about an engineer visit",
    ),
    "digital": (
        "Password reset",
        "App login problem",
        "Invoice copy",
        "Payment failed",
        "Order status",
    ),
}

TRANSCRIPTS: tuple[str, ...] = (
    "Agent: Good morning, you're through to customer care, this is {agent}. How can I help?\n"
    "Customer: Hi, my internet has been dropping every evening this week.\n"
    "Agent: I'm sorry to hear that, it must be frustrating. Can I take your account number?\n"
    "Customer: It's on the letter... 4471 2290.\n"
    "Agent: Thank you. I can see a fault logged in your area; engineers expect it fixed by "
    "tomorrow noon.\n"
    "Customer: OK, that's good to know.\n"
    "Agent: I'll text you when it's closed. Is there anything else I can help with?",
    "Customer: I want to cancel, your price went up again.\n"
    "Agent: I understand, nobody likes a price rise. May I ask what you use the plan for most?\n"
    "Customer: Mostly calls to family abroad.\n"
    "Agent: Then our international bundle would cost you less than before the increase.\n"
    "Customer: Really? How much?\n"
    "Agent: 12 a month, with 300 international minutes. Shall I switch you today?\n"
    "Customer: Yes, let's do that.",
    "Customer: Hello? I've been waiting 20 minutes.\n"
    "Agent: I apologise for the wait. What can I do for you?\n"
    "Customer: My bill is double what it should be.\n"
    "Agent: Let me look... there's a roaming charge from the 3rd.\n"
    "Customer: I wasn't abroad!\n"
    "Agent: I don't know yet why it was applied; I'll raise it with billing and call you back "
    "on Thursday at 11.\n"
    "Customer: Fine, Thursday then.",
    "Customer: hi, the app says my payment failed but the money left my account\n"
    "Agent: Hi Sara, thanks for reaching out. I can see the payment is pending on our side.\n"
    "Agent: It usually clears within 24 hours; you won't be charged twice.\n"
    "Customer: ok thanks\n"
    "Agent: You're welcome! You can follow the status under Account > Payments.",
    "Customer: Salam, I need a copy of my invoice for October.\n"
    "Agent: Salam! I've just emailed it to the address on your account.\n"
    "Customer: Got it, merci.\n"
    "Agent: Glad to help. Have a good day.",
    "Agent: This call is recorded for quality purposes. How can I help?\n"
    "Customer: I'm moving abroad next month and need to end the contract.\n"
    "Agent: Congratulations on the move. Before we close it, would a travel SIM help while "
    "you settle in?\n"
    "Customer: No, I'll get a local number there.\n"
    "Agent: Understood. I've scheduled the end of contract for the 30th; there is no early "
    "termination fee.",
)

COMPETITORS: tuple[str, ...] = (
    "Zed Mobile",
    "Parsian Net",
    "BlueWave Telecom",
    "Nova Fibre",
)

CUSTOMER_FEEDBACK: tuple[str, ...] = (
    '"I pay more than my neighbour for the same speed."',
    '"Every time I call I have to explain everything again."',
    '"The app keeps logging me out."',
    '"I only use it at weekends now."',
    '"Your engineer never showed up."',
    '"Honestly the service is fine, it\'s just too expensive."',
)

GENERIC_NOTES: tuple[str, ...] = (
    "Customer mentioned a competitor offer.",
    "Follow-up ticket opened.",
    "Customer asked for a written confirmation.",
    "Second contact about the same issue this week.",
)


def miss_comments(question: Question, category: Category) -> tuple[str, ...]:
    """Comments a reviewer might write when ``question`` is not answered with full marks."""
    text = f"{question.text} {question.guidance}".lower()
    for keywords, comments in _MISS_COMMENTS:
        if any(k in text for k in keywords):
            return comments
    return _CATEGORY_COMMENTS[category]
