"""Vocabulary and sentence templates behind :func:`careful_polars.datasets.support_tickets`.

Kept apart from the generator so the code reads on its own. Templates name their slots in
braces (``{order}``); the generator fills every slot per row. All text is ASCII, so byte and
character offsets agree (the typo step relies on it). Changing anything here changes the
generated corpus for every seed: treat it as part of the dataset's contract and note it in
``docs/datasets.md``.
"""

from __future__ import annotations

__all__ = [
    "AGENTS",
    "CASUAL_VARIANTS",
    "CITIES",
    "DEVICES",
    "DOMAINS",
    "EDIT_WORDS_REAL",
    "EDIT_WORDS_SYNTHETIC",
    "FIRST_NAMES",
    "FORMAL_VARIANTS",
    "GENERATORS",
    "INTENTS",
    "LAST_NAMES",
    "MONTHS",
    "PLANS",
    "PRODUCTS",
    "PROMO_CODES",
    "REAL",
    "STREETS",
    "SYNTHETIC",
    "Intent",
]

from typing import NamedTuple


class Intent(NamedTuple):
    """One ticket intent: its share among real tickets and its sentence templates."""

    name: str
    weight: float  # relative share among real tickets (normalised by the generator)
    priority: int  # typical priority, 1 = urgent ... 4 = low
    title: str  # how a generator titles it in a subject line
    real_issue: tuple[str, ...]
    real_detail: tuple[str, ...]
    synthetic_purpose: tuple[str, ...]
    synthetic_detail: tuple[str, ...]


INTENTS: tuple[Intent, ...] = (
    Intent(
        "password_reset",
        11.0,
        3,
        "Password Reset",
        (
            "can't reset my password, the reset link says expired",
            "forgot my password and the reset email never arrives",
            "reset password link not working, tried {days} times",
            "i need to reset my password but i dont get the code on {phone}",
            "password reset mail goes to an old address, can you send it to {email} instead",
            "how do i change my password? the reset button does nothing on my {device}",
            "Password reset not working AGAIN",
        ),
        (
            "checked spam folder, nothing there.",
            "it just says 'something went wrong' every time.",
            "last time this worked fine.",
            "i'm locked out since {date}.",
            "the link opens a blank page.",
            "tried {days} times today",
        ),
        (
            "I am writing to request assistance with resetting the password for my account, as "
            "I am currently unable to access it.",
            "I would like to reset my password, but unfortunately the password reset link I "
            "received appears to have expired.",
            "I am reaching out because I have not received the password reset email despite "
            "requesting it {days} times.",
        ),
        (
            "I have checked my spam and junk folders thoroughly, but the email does not appear "
            "to have arrived.",
            "I attempted the process on {date}, but the link directed me to an error page.",
            "For your reference, I am using a {device} to access my account.",
        ),
    ),
    Intent(
        "order_status",
        10.0,
        3,
        "Order Status",
        (
            "can you tell me the status of order {order}",
            "has order #{order} shipped yet?",
            "just checking on my order for the {product}",
            "i placed an order on {date} and got no confirmation email",
            "when will my {product} ship?",
            "is order {order} still coming or should i reorder",
            "Any news on order {order}?",
        ),
        (
            "the website just says pending.",
            "confirmation number is {order}.",
            "it was charged {amount} already.",
            "no email at all since i ordered.",
            "i ordered with {email}.",
            "ordered it {days} days ago",
        ),
        (
            "I am writing to inquire about the current status of my order #{order}.",
            "I would like to request an update on my order for the {product}, placed on {date}.",
            "I am reaching out to confirm whether my recent order #{order} has been shipped.",
        ),
        (
            "I have not received a confirmation email, and the website simply shows the order "
            "as pending.",
            "The payment of {amount} has already been processed.",
            "Any information regarding the expected delivery date of the {product} would be "
            "greatly appreciated.",
        ),
    ),
    Intent(
        "shipping_delay",
        9.0,
        2,
        "Delayed Shipment",
        (
            "my order #{order} still hasnt arrived, it's been {days} days",
            "where is my package? tracking {tracking} hasnt moved since {date}",
            "ordered a {product} on {date} and it still says processing",
            "delivery was supposed to be {date}, still nothing",
            "tracking says delivered but there's no package. order {order}",
            "order {order} stuck in transit for {days} days",
            "package is LATE. {product}, order {order}",
        ),
        (
            "i need it for a birthday this weekend.",
            "the courier says it's your problem.",
            "paid for express shipping.",
            "shipping address is {address}.",
            "neighbours dont have it either.",
            "tracking no is {tracking}",
        ),
        (
            "I am writing to inquire about the status of my order #{order}, which has not yet "
            "arrived.",
            "I placed an order for a {product} on {date}, and I have not yet received it.",
            "I am reaching out regarding a significant delay in the delivery of my order #{order}.",
        ),
        (
            "According to the tracking information, the package has not moved in {days} days.",
            "The estimated delivery date has already passed, and I have not received any updates.",
            "I selected express shipping for the {product} specifically to ensure timely delivery.",
        ),
    ),
    Intent(
        "refund_request",
        8.0,
        2,
        "Refund Request",
        (
            "i want a refund for order #{order}, the {product} is not what was advertised",
            "please refund the {amount} charge for the {product}",
            "returned the {product} {days} days ago and still no refund",
            "requesting a full refund for order {order}",
            "was told i'd get my {amount} back by {date}, nothing yet",
            "i need my money back for the {product}, it broke after a week",
        ),
        (
            "tracking shows you received the return.",
            "i paid with the card ending {last4}.",
            "i have the receipt.",
            "refund should go back to the original card please.",
            "this is my second refund request.",
            "it was {amount}",
        ),
        (
            "I am writing to formally request a refund for my recent order #{order}.",
            "I would like to request a full refund of {amount} for the {product} I purchased "
            "on {date}.",
            "I am reaching out regarding a refund for the {product}, which unfortunately did "
            "not meet my expectations.",
        ),
        (
            "I returned the item {days} days ago, and the tracking information confirms that it "
            "has been delivered to your warehouse.",
            "The product did not match the description provided on your website.",
            "I would appreciate it if the refund of {amount} could be issued to my original "
            "payment method.",
        ),
    ),
    Intent(
        "billing_question",
        7.0,
        3,
        "Billing Inquiry",
        (
            "why was i charged {amount} on {date}?",
            "i see two charges of {amount} on my statement",
            "my bill went up to {amount} this month without warning",
            "what is this {amount} charge from northwind",
            "charged for the {plan} plan but i'm on basic",
            "can you explain the fees on my last invoice, total was {amount}",
        ),
        (
            "card ending in {last4}.",
            "i never agreed to this.",
            "my bank says the charge is from you.",
            "please send a breakdown.",
            "my account email is {email}.",
        ),
        (
            "I am writing to seek clarification regarding a charge of {amount} on my recent "
            "statement.",
            "I noticed an unexpected charge of {amount} on {date}, and I would like to "
            "understand what it is for.",
            "I am reaching out because my most recent bill for the {plan} plan appears to be "
            "higher than expected.",
        ),
        (
            "I do not recall authorizing this charge.",
            "I would appreciate a detailed breakdown of the fees applied to my account.",
            "The charge appears on the card ending in {last4}.",
        ),
    ),
    Intent(
        "login_issue",
        6.0,
        2,
        "Login Difficulties",
        (
            "cant log in to my account, keeps saying invalid credentials",
            "app logs me out every few minutes on my {device}",
            "login page just spins forever",
            "2fa code never arrives so i can't sign in, my number is {phone}",
            "i log in and it shows someone elses dashboard??",
            "error 403 when i try to log in since {date}",
        ),
        (
            "password is definitely correct.",
            "tried on wifi and on data.",
            "works on desktop but not on my {device}.",
            "reinstalled the app, same thing.",
            "screenshot attached.",
        ),
        (
            "I am writing to report an issue I am experiencing when attempting to log in to my "
            "account.",
            "I have been unable to sign in to my account since {date}, and I would greatly "
            "appreciate your help.",
            "I am encountering a persistent login error that prevents me from accessing my "
            "account on my {device}.",
        ),
        (
            "Each time I enter my credentials, I receive a message stating that they are "
            "invalid, even though I am confident they are correct.",
            "The verification code that should be sent to my phone does not seem to arrive.",
            "I have already tried clearing my browser cache and reinstalling the application "
            "on my {device}.",
        ),
    ),
    Intent(
        "cancel_subscription",
        6.0,
        3,
        "Subscription Cancellation",
        (
            "please cancel my subscription",
            "i want to cancel my {plan} plan effective immediately",
            "how do i cancel? there's no button anywhere",
            "cancel my membership and stop charging my card ending {last4}",
            "i tried to cancel on {date} but got charged again",
            "cancel auto-renew please, i dont use it anymore",
        ),
        (
            "account email is {email}.",
            "i dont want any offers, just cancel.",
            "charged {amount} after i cancelled.",
            "confirm by email please.",
            "i moved and dont need it anymore.",
        ),
        (
            "I am writing to request the cancellation of my {plan} subscription, effective "
            "immediately.",
            "I would like to cancel my subscription and ensure that no further charges are "
            "applied to my account.",
            "I am reaching out to formally cancel my membership, which renews on {date}.",
        ),
        (
            "I have been unable to locate the cancellation option within my account settings.",
            "Please confirm the cancellation in writing at your earliest convenience.",
            "I noticed that I was charged {amount} on {date} despite my earlier request to cancel.",
        ),
    ),
    Intent(
        "return_request",
        5.0,
        3,
        "Product Return",
        (
            "how do i return the {product}",
            "i want to return order {order}",
            "can i get a return label for the {product}",
            "returning the {product}, it doesnt fit",
            "is it too late to return something i bought on {date}",
        ),
        (
            "it's unopened.",
            "i have the original box.",
            "please email the label to {email}.",
            "bought it for {amount}.",
            "the returns page gives an error.",
        ),
        (
            "I am writing to request a return for the {product} I purchased on {date}.",
            "I would like to initiate a return for my order #{order}.",
            "I am reaching out to ask about the process for returning the {product}.",
        ),
        (
            "The item is unused and remains in its original packaging.",
            "Could you please provide a prepaid return shipping label?",
            "The product, unfortunately, does not suit my needs.",
        ),
    ),
    Intent(
        "damaged_item",
        4.5,
        2,
        "Damaged Item",
        (
            "my {product} arrived damaged",
            "box was crushed and the {product} is cracked",
            "received order {order} today and the {product} is broken",
            "the {product} was scratched out of the box",
            "item arrived damaged, pics attached. order {order}",
        ),
        (
            "i want a replacement not a refund.",
            "packaging was terrible.",
            "delivered {date}.",
            "it cost {amount}, not cheap.",
            "courier left it in the rain.",
        ),
        (
            "I am writing to inform you that the {product} I received was damaged upon arrival.",
            "Unfortunately, my order #{order} arrived with visible damage to the {product}.",
            "I am reaching out regarding a damaged item I received on {date}.",
        ),
        (
            "The packaging appeared to be crushed, and the product itself is cracked.",
            "I have taken photographs of the damage, which I would be happy to provide.",
            "I would prefer a replacement rather than a refund, if possible.",
        ),
    ),
    Intent(
        "wrong_item",
        4.0,
        3,
        "Incorrect Item Received",
        (
            "i ordered a {product} but got something else",
            "wrong item in my package for order #{order}",
            "you sent me the wrong size, order {order}",
            "received a {product} i never ordered",
            "wrong color, i ordered black not white",
        ),
        (
            "the packing slip says {product} but thats not what's in the box.",
            "do i need to send it back?",
            "i need the right one by {date}.",
            "order number {order}.",
        ),
        (
            "I am writing to let you know that I received an incorrect item in my order #{order}.",
            "Instead of the {product} I ordered, I received a completely different item.",
            "I am reaching out because the item delivered on {date} does not match my order.",
        ),
        (
            "The packing slip lists the correct product, but the contents of the box are "
            "different.",
            "I would appreciate guidance on how to return the incorrect item.",
            "I need the correct item by {date}, so a prompt resolution would be greatly "
            "appreciated.",
        ),
    ),
    Intent(
        "payment_failed",
        4.0,
        2,
        "Payment Failure",
        (
            "my payment keeps getting declined",
            "checkout fails with error code {days}0",
            "card ending {last4} declined but my bank says its fine",
            "payment failed but i was still charged {amount}",
            "can't pay for my order, it says payment method invalid",
        ),
        (
            "tried 3 different cards.",
            "bank says there is no block.",
            "i really need this order to go through today.",
            "using {device}.",
        ),
        (
            "I am writing to report that my payment keeps being declined at checkout.",
            "I am experiencing difficulties completing my purchase, as my payment method is "
            "repeatedly rejected.",
            "I am reaching out because my payment failed, yet the amount of {amount} appears to "
            "have been deducted.",
        ),
        (
            "My bank has confirmed that there are no restrictions on my card ending in {last4}.",
            "I have attempted the transaction several times using different payment methods.",
            "I would be grateful if you could investigate this issue on your end.",
        ),
    ),
    Intent(
        "change_address",
        3.5,
        3,
        "Address Change",
        (
            "need to change the shipping address on order {order}",
            "i moved, please update my address to {address}",
            "wrong address on my order, should be {address}",
            "can i change delivery address before it ships? order {order}",
            "update billing address to {address} please",
        ),
        (
            "the order was placed {date}.",
            "the old address is no longer valid.",
            "please confirm the change.",
            "it hasnt shipped yet according to the site.",
        ),
        (
            "I am writing to request an update to the shipping address associated with my "
            "order #{order}.",
            "I have recently relocated and would like to update my address on file.",
            "I would like to change the delivery address for my recent order before it is shipped.",
        ),
        (
            "The order has not yet been dispatched, according to your website.",
            "Please ensure the change is reflected on all future orders as well.",
            "I would greatly appreciate confirmation once the update has been completed.",
        ),
    ),
    Intent(
        "update_payment_method",
        3.0,
        3,
        "Payment Method Update",
        (
            "how do i update my card? old one expired",
            "need to change payment method to a new card",
            "want to switch from card ending {last4} to paypal",
            "update the card on file please",
            "the update payment page wont save my new card",
        ),
        (
            "my next bill is on {date}.",
            "i dont want the subscription to lapse.",
            "it says 'invalid expiry' but its correct.",
            "on my {device}.",
        ),
        (
            "I would like to update the payment method associated with my account.",
            "I am writing because my card on file has expired, and I need to add a new one.",
            "I am reaching out for assistance with changing my payment method.",
        ),
        (
            "The update page does not appear to save my new card details.",
            "My next billing date is {date}, so I would like to resolve this promptly.",
            "I would like to replace the card ending in {last4}.",
        ),
    ),
    Intent(
        "account_locked",
        3.0,
        2,
        "Locked Account",
        (
            "my account is locked",
            "account locked after too many attempts",
            "it says my account is suspended?? why",
            "locked out of my account since {date}",
            "got an email that my account was disabled",
        ),
        (
            "i didnt do anything wrong.",
            "i need access for work today.",
            "my account email is {email}.",
            "tried the unlock link, expired.",
        ),
        (
            "I am writing because my account has been locked, and I am unable to access it.",
            "I recently received a notification that my account has been suspended, and I "
            "would like to understand why.",
            "I am reaching out to request assistance in unlocking my account.",
        ),
        (
            "I do not believe I have violated any of your terms of service.",
            "I rely on my account for work and would appreciate a swift resolution.",
            "The unlock link I received on {date} appears to have expired.",
        ),
    ),
    Intent(
        "promo_code",
        3.0,
        4,
        "Promotional Code",
        (
            "promo code {code} isnt working",
            "discount code {code} says expired but the email says valid until {date}",
            "forgot to apply code {code} on order {order}, can you apply it",
            "where do i enter a promo code",
            "coupon {code} only took off {amount}",
        ),
        (
            "got the code in your newsletter.",
            "the site says 'not eligible'.",
            "order total was {amount}.",
            "can you refund the difference?",
        ),
        (
            "I am writing because the promo code {code} does not seem to work at checkout.",
            "I would like to inquire about applying the discount code {code} to my order #{order}.",
            "I am reaching out regarding a promotional code that is not being accepted.",
        ),
        (
            "According to your newsletter, the code should be valid until {date}.",
            "The website displays a message indicating that my order is not eligible.",
            "I would appreciate it if the discount could be applied retroactively.",
        ),
    ),
    Intent(
        "product_question",
        3.0,
        4,
        "Product Inquiry",
        (
            "does the {product} work with {device}?",
            "what's the warranty on the {product}",
            "is the {product} coming back in stock",
            "difference between {product} and the pro version?",
            "how do i set up the {product}",
        ),
        (
            "the manual isn't clear.",
            "need to know before i buy.",
            "website has no info.",
            "thinking of ordering {days} of them for the office.",
        ),
        (
            "I am writing to inquire about the {product} and its compatibility with my {device}.",
            "I would like to learn more about the warranty coverage for the {product}.",
            "I am reaching out with a question about the features of the {product}.",
        ),
        (
            "I was unable to find this information on your website.",
            "I am considering purchasing {days} units and would like to make an informed decision.",
            "Any additional details or documentation would be greatly appreciated.",
        ),
    ),
    Intent(
        "technical_bug",
        2.5,
        3,
        "Technical Issue",
        (
            "the website crashes when i click checkout",
            "page shows error 500 on my orders page",
            "the search is broken, returns nothing for {product}",
            "my order history is empty?!",
            "the {product} firmware update failed",
            "settings page wont save changes",
        ),
        (
            "using chrome on a {device}.",
            "started after your update on {date}.",
            "screenshot attached.",
            "happens every single time.",
        ),
        (
            "I am writing to report a technical issue I have encountered on your website.",
            "I would like to bring to your attention a bug that occurs when I attempt to "
            "complete checkout.",
            "I am reaching out because the orders page consistently displays an error message.",
        ),
        (
            "The issue began after the update on {date}.",
            "I am using the latest version of Chrome on my {device}.",
            "I have attempted to reproduce the issue several times, and it occurs consistently.",
        ),
    ),
    Intent(
        "app_crash",
        2.0,
        3,
        "Application Crash",
        (
            "app crashes on startup",
            "the app keeps crashing when i open my cart",
            "app freezes after the latest update, v{version}",
            "app closes itself whenever i try to pay",
            "app wont open on my {device}",
        ),
        (
            "version {version}.",
            "reinstalled twice.",
            "phone is updated.",
            "it worked fine before {date}.",
        ),
        (
            "I am writing to report that your mobile application crashes every time I attempt "
            "to open it.",
            "I would like to report an issue with the app, which freezes and closes unexpectedly.",
            "I am reaching out because the app has become unusable on my {device} since the "
            "latest update.",
        ),
        (
            "I am currently running version {version} of the app.",
            "I have already uninstalled and reinstalled the application, but the issue persists.",
            "The problem began on {date}.",
        ),
    ),
    Intent(
        "upgrade_plan",
        1.8,
        4,
        "Plan Upgrade",
        (
            "how do i upgrade to {plan}?",
            "want to upgrade my plan, what does it cost",
            "upgrade from basic to {plan} please",
            "is there a discount for upgrading to annual",
            "i upgraded to {plan} but still see basic features",
        ),
        (
            "charged {amount} already.",
            "we're a team of {days}.",
            "need it before {date}.",
        ),
        (
            "I am writing to inquire about upgrading my current plan to the {plan} plan.",
            "I would like to upgrade my subscription and understand the associated costs.",
            "I recently upgraded to the {plan} plan, but I do not yet have access to the "
            "additional features.",
        ),
        (
            "I would appreciate information on any available discounts for annual billing.",
            "I was charged {amount}, but my account still reflects the previous plan.",
            "Our team currently consists of {days} members.",
        ),
    ),
    Intent(
        "invoice_request",
        1.5,
        4,
        "Invoice Request",
        (
            "can i get an invoice for order {order}",
            "need a vat invoice for my last purchase",
            "please send invoices for the last {days} months",
            "invoice is missing my company name",
            "where can i download invoices",
        ),
        (
            "for my accountant.",
            "send to {email} please.",
            "company address is {address}.",
            "amount was {amount}.",
        ),
        (
            "I am writing to request an invoice for my order #{order}.",
            "I would like to obtain a VAT invoice for my recent purchase.",
            "I am reaching out to request copies of my invoices for the past {days} months.",
        ),
        (
            "This is required for my accounting records.",
            "Please ensure that the invoice includes my company name.",
            "The total amount of the purchase was {amount}.",
        ),
    ),
    Intent(
        "feedback_complaint",
        1.5,
        3,
        "Service Feedback",
        (
            "worst customer service i've ever had",
            "i waited {days} days for a reply, unacceptable",
            "your driver was rude and threw the package",
            "very disappointed with the {product}",
            "just want to say the new update is terrible",
        ),
        (
            "i'll be leaving a review.",
            "i've been a customer for {years} years.",
            "expect better from you.",
            "please pass this on to a manager.",
        ),
        (
            "I am writing to express my dissatisfaction with the service I have recently received.",
            "I would like to share some feedback regarding my recent experience with your company.",
            "I am reaching out to voice my disappointment with the {product}.",
        ),
        (
            "I waited {days} days for a response, which I find unacceptable.",
            "I have been a loyal customer for {years} years and expected a higher standard.",
            "I hope this feedback will be passed on to the appropriate team.",
        ),
    ),
    Intent(
        "delete_account",
        1.2,
        3,
        "Account Deletion",
        (
            "please delete my account",
            "i want my account closed permanently",
            "how do i delete my northwind account",
            "remove my account and all my info",
            "close account, registered with {email}",
        ),
        (
            "i dont use it anymore.",
            "confirm when done.",
            "and unsubscribe me from emails.",
            "i already cancelled the subscription.",
        ),
        (
            "I am writing to request the permanent deletion of my account.",
            "I would like to close my account and have all associated information removed.",
            "I am reaching out to ask how I can delete my account.",
        ),
        (
            "I no longer use your services.",
            "Please confirm once the deletion has been completed.",
            "I would also like to be unsubscribed from all marketing communications.",
        ),
    ),
    Intent(
        "chargeback_dispute",
        0.6,
        1,
        "Chargeback Dispute",
        (
            "i'm disputing the {amount} charge with my bank",
            "filed a chargeback for order {order}",
            "my bank opened a dispute for the charge on {date}",
            "you charged me twice ({amount}) so i disputed it with my card company",
            "received a chargeback notice, why is my account on hold",
        ),
        (
            "case number {order}.",
            "card ending {last4}.",
            "i never received the item.",
            "i'll withdraw it if you refund me.",
        ),
        (
            "I am writing to inform you that I have initiated a dispute with my bank regarding "
            "a charge of {amount}.",
            "I would like to discuss a chargeback related to my order #{order}.",
        ),
        (
            "I did not receive the item for which I was charged.",
            "I would be willing to withdraw the dispute if the matter can be resolved directly.",
        ),
    ),
    Intent(
        "gdpr_data_request",
        0.5,
        1,
        "Data Access Request",
        (
            "under gdpr i request a copy of all personal data you hold on me",
            "subject access request: please send me all data linked to {email}",
            "i want to know what personal data you store about me and who you share it with",
            "gdpr article 15 request for my data",
            "please erase all my personal data under article 17",
        ),
        (
            "you have 30 days to respond by law.",
            "account email {email}.",
            "please confirm receipt of this request.",
            "include any data shared with third parties.",
        ),
        (
            "I am writing to submit a data subject access request under the General Data "
            "Protection Regulation.",
            "In accordance with Article 15 of the GDPR, I would like to request a copy of the "
            "personal data you hold about me.",
        ),
        (
            "Please include details of any third parties with whom my data has been shared.",
            "I understand that you are required to respond within one month.",
        ),
    ),
    Intent(
        "account_takeover_report",
        0.35,
        1,
        "Unauthorized Account Access",
        (
            "someone hacked my account and changed the email",
            "i got a login alert from another country, that wasnt me",
            "my account was used to place order {order} that i didnt make",
            "password changed without me doing it",
            "someone is logged into my account and bought a {product}",
        ),
        (
            "please lock it now.",
            "my real email is {email}.",
            "card ending {last4} was charged {amount}.",
            "i already changed my bank password.",
        ),
        (
            "I am writing to report that I believe my account has been compromised.",
            "I recently received a login alert from an unfamiliar location, and I am concerned "
            "that my account has been accessed without my authorization.",
        ),
        (
            "An order #{order} was placed that I did not make.",
            "I would appreciate it if you could secure my account immediately.",
        ),
    ),
)


class _Pools(NamedTuple):
    email_greeting: tuple[str, ...]
    email_extra: tuple[str, ...]
    email_ask: tuple[str, ...]
    email_signoff: tuple[str, ...]
    contact: tuple[str, ...]
    chat_opener: tuple[str, ...]
    chat_context: tuple[str, ...]
    chat_tail: tuple[str, ...]
    agent_greet: tuple[str, ...]
    customer_open: tuple[str, ...]
    agent_verify: tuple[str, ...]
    verify_answer: tuple[str, ...]
    agent_check: tuple[str, ...]
    agent_close: tuple[str, ...]


#: Channel pieces of real tickets (terse, informal).
REAL = _Pools(
    email_greeting=(
        "hi,",
        "hello,",
        "Hi there,",
        "hey,",
        "Hello team,",
        "good morning,",
        "hi support,",
        "dear support team,",
        "to whom it may concern,",
        "hiya,",
        "Hello,",
        "hi guys,",
        "afternoon,",
        "Hi,",
        "re: my order",
        "urgent",
    ),
    email_extra=(
        "this is the 2nd time im writing about this.",
        "i've been a customer for {years} years and never had this problem before.",
        "already tried clearing cache and restarting, no luck.",
        "i called yesterday but got disconnected after {days} minutes on hold.",
        "your website is useless btw.",
        "my friend had the same issue last month.",
        "ticket from last week was closed without an answer.",
        "i need this sorted before {date}.",
        "using the app on my {device}.",
        "not happy about this at all.",
        "it's really frustrating.",
        "chat bot was no help.",
        "i'm travelling until {date} so email is best.",
        "the help page didn't answer my question.",
        "this is urgent!!",
        "nobody has replied to my last {days} emails.",
        "i live in {city} if that matters.",
        "my previous order {order} was fine.",
    ),
    email_ask=(
        "can you help?",
        "please advise.",
        "pls fix asap.",
        "let me know what i need to do.",
        "thanks in advance.",
        "can someone get back to me today?",
        "what are my options?",
        "please sort this out.",
        "waiting for your reply.",
        "any update would be appreciated.",
        "please call me back.",
        "how long will this take?",
        "can you confirm?",
        "need an answer soon.",
    ),
    email_signoff=(
        "thanks",
        "thank you",
        "regards",
        "cheers",
        "thx",
        "best",
        "Thanks,",
        "Regards,",
        "many thanks",
        "ty",
        "Best,",
        "sent from my phone",
    ),
    contact=(
        "{phone}",
        "my number is {phone}",
        "reply to {email} not this address",
        "call me on {phone}",
        "cell: {phone}",
        "email: {email}",
        "you can reach me at {email} or {phone}",
        "alt email {email}",
    ),
    chat_opener=(
        "hi",
        "hello",
        "hey",
        "hi there",
        "hello?",
        "{name} here",
        "hi its {name}",
        "hey this is {name}",
        "hi, my email is {email}",
        "yo",
        "good evening",
        "helo",
        "hi i need help",
        "hey quick question",
        "hi, account email {email}",
        "hi im {name}, order {order}",
        "{name}",
        "hey, {email}",
        "hi, order {order}",
        "hello its about order #{order}",
        "hi from {city}",
        "hiii, {name} again",
    ),
    chat_context=(
        " - order {order}",
        " (order #{order})",
        " on my {device}",
        " for the {product}",
        " since {date}",
        ", {days} days now",
        ", acct is {email}",
        " btw im {name}",
        " ref {order}",
        ", paid {amount}",
        " ({date})",
        " again, {days}th time",
    ),
    chat_tail=(
        "??",
        "anyone there?",
        "asap pls",
        "help",
        "thx",
        "hello??",
        "please respond",
        "ok?",
        "can u check",
        "thanks",
        "this is ridiculous",
        "order is {order} if that helps",
        "my phone is {phone}",
        "been waiting {days} min already",
    ),
    agent_greet=(
        "thank you for calling northwind support, this is {agent}, how can i help you today?",
        "northwind customer care, {agent} speaking.",
        "hi thanks for calling, my name is {agent}. whats going on today?",
        "thanks for holding, this is {agent}, how can i help?",
        "good morning, northwind support, {agent} speaking, how may i help?",
        "northwind, you're through to {agent}.",
    ),
    customer_open=(
        "yeah hi,",
        "hi um",
        "hello yes,",
        "hi so",
        "uh hi,",
        "yes hello,",
        "hi, thanks.",
        "ok so basically",
        "right, hi,",
        "hey {agent},",
    ),
    agent_verify=(
        "sure, can i get your name and the email on the account?",
        "ok can i have the order number please?",
        "i can look into that. can you verify the phone number on file?",
        "no problem, whats the email address on the account?",
        "sorry to hear that. can i get your full name?",
        "ok let me pull that up, what's the account email?",
    ),
    verify_answer=(
        "yeah its {name}",
        "{email}",
        "sure its {phone}",
        "order number is {order}",
        "{name}, email {email}",
        "it should be {phone}",
        "um {email} i think",
        "{name}. n-a-m-e. and the order is {order}",
    ),
    agent_check=(
        "ok i see the account here. what happened exactly?",
        "thanks, give me one second... ok what seems to be the problem?",
        "ok, i've got it. can you tell me a bit more?",
        "alright i'm looking at it now.",
        "got it, and when did this start?",
        "mhm, ok, go on.",
    ),
    agent_close=(
        "ok i've escalated this, you should get an email within {days} hours.",
        "alright i've put a note on the account. anything else?",
        "ok let me transfer you to the right team, one moment.",
        "i've processed that for you, reference number {order}.",
        "i understand, i'll open a ticket and someone will call you back.",
        "ok that's done, you'll see it in {days} business days.",
    ),
)


class _SyntheticPools(NamedTuple):
    context: tuple[str, ...]
    subject: tuple[str, ...]
    greeting: tuple[str, ...]
    opener: tuple[str, ...]
    extra: tuple[str, ...]
    ask: tuple[str, ...]
    closing: tuple[str, ...]
    signoff: tuple[str, ...]
    chat_hello: tuple[str, ...]
    chat_opener: tuple[str, ...]
    chat_ask: tuple[str, ...]
    chat_thanks: tuple[str, ...]
    agent_greet: tuple[str, ...]
    customer_open: tuple[str, ...]
    agent_ack: tuple[str, ...]
    agent_resolve: tuple[str, ...]
    customer_thanks: tuple[str, ...]
    agent_bye: tuple[str, ...]
    contact_email: tuple[str, ...]
    contact_phone: tuple[str, ...]
    contact_name: tuple[str, ...]


#: Pieces of the generator's house style (polished, formulaic, longer).
SYNTHETIC = _SyntheticPools(
    context=(
        "For reference, my order number is #{order}.",
        "This concerns the {product} I purchased on {date}.",
        "I have been a customer for {years} years.",
        "The issue first occurred approximately {days} days ago.",
        "The total amount involved is {amount}.",
        "I am currently using a {device}.",
        "My account is on the {plan} plan.",
        "This matter has been ongoing since {date}.",
        "The reference number provided to me was #{order}.",
        "I first contacted your team {days} days ago regarding this.",
        "For context, my most recent order was #{order}, totaling {amount}.",
        "I noticed this on {date} while using my {device}.",
    ),
    subject=(
        "Subject: Request for Assistance: {topic}",
        "Subject: Inquiry Regarding {topic}",
        "Subject: Urgent: {topic}",
        "Subject: Follow-Up Regarding {topic}",
        "Subject: Assistance Needed With {topic}",
        "Subject: {topic} - Request for Support",
    ),
    greeting=(
        "Dear Customer Support Team,",
        "Dear Support Team,",
        "Hello Support Team,",
        "Dear Sir or Madam,",
        "Dear Northwind Support,",
        "Greetings,",
    ),
    opener=(
        "I hope this message finds you well.",
        "I hope this email finds you well.",
        "I trust this message finds you in good health.",
        "I hope you are having a wonderful day.",
        "I hope all is well with you and your team.",
    ),
    extra=(
        "Certainly, I understand that such issues can occasionally arise; however, I would "
        "greatly appreciate a swift resolution.",
        "I would be grateful if you could delve into this matter and provide clarity "
        "regarding the next steps.",
        "To provide some additional context, I have been a loyal customer for {years} years "
        "and have always valued your exceptional service.",
        "Additionally, I have reviewed the articles in your Help Center, but unfortunately "
        "they did not fully address my concern.",
        "It is worth noting that this situation has caused me considerable inconvenience.",
        "I would like to emphasize that I truly value the quality of your products and services.",
        "Furthermore, I would appreciate it if you could provide a reference number for this "
        "request.",
        "Please do not hesitate to let me know if you require any further information from "
        "my side.",
        "I understand that your team handles a high volume of requests, and I sincerely "
        "appreciate your patience.",
        "In order to delve deeper into the issue, I have documented each step I took since {date}.",
        "Moreover, I believe a timely resolution would be mutually beneficial.",
        "Rest assured, I am happy to provide any additional details that may be helpful.",
        "I first noticed this on {date}, and it has persisted for {days} days.",
        "As a valued customer, I am confident that we can navigate this together.",
    ),
    ask=(
        "Could you please look into this matter at your earliest convenience?",
        "I kindly request that you assist me in resolving this issue promptly.",
        "Could you kindly advise on the appropriate next steps?",
        "I would greatly appreciate your guidance on how to proceed.",
        "Would it be possible to expedite the resolution of this matter?",
    ),
    closing=(
        "Thank you for your time and assistance. I look forward to your prompt response.",
        "Thank you in advance for your help and understanding.",
        "I appreciate your attention to this matter and look forward to hearing from you soon.",
        "Thank you for your continued support. I look forward to a swift resolution.",
        "Your assistance in this matter is greatly appreciated.",
    ),
    signoff=(
        "Best regards,\n[Your Name]",
        "Kind regards,\n[Your Name]",
        "Warm regards,\n[Your Name]",
        "Sincerely,\n[Your Name]",
        "Best regards,\n[Your Name]\n[Your Contact Information]",
        "Thank you,\n[Your Name]",
    ),
    chat_hello=("Hello!", "Hi there!", "Hello there!", "Hi!", "Greetings!"),
    chat_opener=(
        "I hope you're having a great day.",
        "I hope you're doing well today.",
        "Thank you for being available to chat.",
        "I hope your day is going smoothly.",
    ),
    chat_ask=(
        "Could you please assist me with this?",
        "Would you be able to help me resolve this?",
        "I would really appreciate your help with this matter.",
        "Could you kindly look into this for me?",
    ),
    chat_thanks=(
        "Thank you so much for your help!",
        "Thanks in advance for your assistance!",
        "I truly appreciate your support!",
        "Thank you for your time and assistance!",
    ),
    agent_greet=(
        "Thank you for calling Northwind Support! My name is {agent}. How may I assist you today?",
        "Good day, and thank you for contacting Northwind Support. This is {agent}. How can I "
        "help you today?",
        "Hello, and welcome to Northwind Support! My name is {agent}, and I'd be delighted to "
        "assist you.",
    ),
    customer_open=(
        "Hello! I hope you're doing well.",
        "Hi, thank you for taking my call.",
        "Hello, and thank you for your help.",
    ),
    agent_ack=(
        "Certainly! I'd be more than happy to help you with that. Could you please provide a "
        "few more details?",
        "Absolutely, I completely understand your concern. Let me delve into this for you.",
        "Of course! I apologize for any inconvenience this may have caused. Could you tell me "
        "a bit more?",
        "I completely understand how frustrating that must be. Let me take a closer look at "
        "your account.",
        "Thank you for bringing this to our attention. I'd be glad to look into it right away.",
    ),
    agent_resolve=(
        "Thank you for sharing that information. I have escalated your request, and you "
        "should receive an update within {days} business days.",
        "I truly appreciate your patience. I have documented the issue and our specialized "
        "team will follow up with you shortly.",
        "Thank you for your patience. I have processed your request, and you will receive a "
        "confirmation email shortly.",
        "Great news! I have resolved the issue on my end, and your reference number is #{order}.",
        "I have submitted a ticket to our specialist team, and they will reach out within "
        "{days} hours.",
    ),
    customer_thanks=(
        "Thank you so much for your help!",
        "That's wonderful, thank you!",
        "I really appreciate your assistance.",
    ),
    agent_bye=(
        "You're very welcome! Is there anything else I can assist you with today?",
        "It was my pleasure! Have a wonderful day!",
        "You're most welcome! Thank you for choosing Northwind, and have a great day!",
        "Happy to help! Please don't hesitate to reach out if anything else comes up.",
        "My pleasure! Thank you for your patience, and enjoy the rest of your day!",
    ),
    contact_email=(
        "For your reference, the email address associated with my account is {email}.",
        "Please feel free to reach me at {email} should you require any further information.",
    ),
    contact_phone=(
        "Please do not hesitate to contact me at {phone} if you need any additional details.",
        "I can be reached by phone at {phone} at your convenience.",
    ),
    contact_name=(
        "My name is {name}, and I have been a customer for several years.",
        "For your records, the account is registered under the name {name}.",
    ),
)


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


#: (generator, generator_version, share of the synthetic pool)
GENERATORS: tuple[tuple[str, str, float], ...] = (
    ("ticketsmith-large", "2025.02", 0.45),
    ("ticketsmith-large", "2025.03", 0.35),
    ("ticketsmith-mini", "1.4.2", 0.20),
)

FIRST_NAMES: tuple[str, ...] = _split(
    """
    Maria James Mary Robert Patricia Michael Jennifer William Linda David Elizabeth Richard
    Barbara Joseph Susan Thomas Jessica Charles Sarah Christopher Karen Daniel Lisa Matthew
    Nancy Anthony Betty Mark Sandra Donald Margaret Steven Ashley Paul Kimberly Andrew Emily
    Joshua Donna Kenneth Michelle Kevin Carol Brian Amanda George Melissa Timothy Deborah
    Ronald Stephanie Jason Rebecca Edward Sharon Jeffrey Laura Ryan Cynthia Jacob Amy Gary
    Kathleen Nicholas Angela Eric Shirley Jonathan Brenda Stephen Emma Larry Anna Justin
    Pamela Scott Nicole Brandon Samantha Benjamin Katherine Samuel Christine Gregory Helen
    Alexander Debra Patrick Rachel Frank Carolyn Raymond Janet Jack Rosa Dennis Catherine
    Jerry Heather Tyler Diane Aaron Olivia Jose Julie Adam Joyce Nathan Victoria Henry Ruth
    Zachary Virginia Douglas Lauren Peter Kelly Kyle Christina Noah Joan Ethan Evelyn Jeremy
    Judith Walter Andrea Christian Hannah Keith Megan Roger Cheryl Terry Jacqueline Austin
    Martha Sean Madison Gerald Teresa Carl Gloria Harold Sara Dylan Janice Arthur Ann Priya
    Wei Aisha Mohammed Fatima Hiroshi Yuki Sofia Mateo Lucia Diego Chloe Liam Zoe Omar
    Leila Ivan Olga Sven Ingrid Kwame Amara Ravi Ananya Chen Mei Tariq Nadia Pedro Ines
    """
)

LAST_NAMES: tuple[str, ...] = _split(
    """
    Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
    Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White
    Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres
    Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts
    Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales
    Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos
    Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes
    Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry
    Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons
    Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West
    Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro
    Marshall Owens Harrison Fernandez Mcdonald Woods Washington Kennedy Wells Vargas Henry
    Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez
    Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd
    Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols
    Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce
    Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll
    Lane Riley Andrews Ray Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras
    Willis Carpenter Lawrence Sandoval Okafor Mensah Yamamoto Tanaka Kowalski Novak Larsen
    Lindqvist Haddad Rahman Singh Gupta Sharma Ivanova Petrov Rossi Bianchi Dubois Muller
    """
)

DOMAINS: tuple[str, ...] = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "aol.com",
    "proton.me",
    "live.com",
    "comcast.net",
    "mail.com",
)

AGENTS: tuple[str, ...] = (
    "dave",
    "priya",
    "tom",
    "jess",
    "marcus",
    "anna",
    "kevin",
    "sam",
    "rosa",
    "li",
    "mike",
    "fatima",
    "chris",
    "olga",
    "ben",
    "tanya",
    "raj",
    "ellie",
)

PRODUCTS: tuple[str, ...] = (
    "blender",
    "air fryer",
    "coffee maker",
    "espresso machine",
    "stand mixer",
    "toaster",
    "kettle",
    "rice cooker",
    "vacuum",
    "robot vacuum",
    "desk lamp",
    "office chair",
    "standing desk",
    "bluetooth speaker",
    "wireless earbuds",
    "headphones",
    "smart watch",
    "fitness tracker",
    "phone case",
    "usb-c charger",
    "power bank",
    "hdmi cable",
    "webcam",
    "keyboard",
    "mouse",
    "monitor",
    "laptop stand",
    "backpack",
    "water bottle",
    "yoga mat",
    "running shoes",
    "rain jacket",
    "winter coat",
    "duvet cover",
    "pillow set",
    "towel set",
    "cookware set",
    "knife set",
    "air purifier",
    "humidifier",
    "space heater",
    "electric toothbrush",
    "hair dryer",
    "baby monitor",
    "dog bed",
    "cat tree",
    "gaming controller",
    "e-reader",
    "tablet",
    "smart plug",
    "doorbell camera",
    "router",
)

DEVICES: tuple[str, ...] = (
    "iphone",
    "iphone 13",
    "iphone 15",
    "android",
    "pixel 7",
    "samsung galaxy s22",
    "ipad",
    "macbook",
    "windows laptop",
    "chromebook",
    "work pc",
    "kindle",
)

PLANS: tuple[str, ...] = ("plus", "premium", "family", "pro", "business", "annual")

PROMO_CODES: tuple[str, ...] = (
    "SPRING20",
    "WELCOME10",
    "FREESHIP",
    "VIP25",
    "SAVE15",
    "BDAY30",
    "FALL10",
    "NEWYEAR25",
    "THANKS5",
    "FLASH40",
)

MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

STREETS: tuple[str, ...] = (
    "Maple St",
    "Oak Ave",
    "Pine Rd",
    "Cedar Ln",
    "Elm St",
    "Washington Blvd",
    "Lakeview Dr",
    "Hillcrest Rd",
    "Park Ave",
    "Sunset Blvd",
    "River Rd",
    "Church St",
    "Main St",
    "High St",
    "Mill Ln",
    "Station Rd",
)

CITIES: tuple[str, ...] = (
    "austin",
    "leeds",
    "dublin",
    "toronto",
    "denver",
    "manchester",
    "portland",
    "glasgow",
    "phoenix",
    "bristol",
    "ottawa",
    "tampa",
)

#: Words inserted or substituted when the near-duplicate editor rewrites a synthetic row.
EDIT_WORDS_SYNTHETIC: tuple[str, ...] = (
    "kindly",
    "truly",
    "promptly",
    "indeed",
    "greatly",
    "sincerely",
    "certainly",
    "additionally",
    "furthermore",
    "respectfully",
    "very",
    "also",
    "recently",
    "unfortunately",
    "currently",
    "genuinely",
    "deeply",
    "really",
    "swiftly",
    "carefully",
)

#: Words used when an evaluation ticket is lightly edited before it leaks into the pool.
EDIT_WORDS_REAL: tuple[str, ...] = (
    "pls",
    "just",
    "really",
    "also",
    "now",
    "still",
    "again",
    "asap",
    "ok",
    "so",
)

#: Word variants for real templates: each template is expanded into a few variants, each
#: picking one form per group (first form = as written). Customers misspell and abbreviate.
CASUAL_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("please", "pls", "plz"),
    ("you", "u"),
    ("your", "ur"),
    ("because", "bc", "cuz"),
    ("thanks", "thx"),
    ("can't", "cant", "cannot"),
    ("dont", "don't", "do not"),
    ("isnt", "isn't", "is not"),
    ("i'm", "im", "i am"),
    ("it's", "its", "it is"),
    ("still", "stil", "STILL"),
    ("and", "&", "n"),
    ("really", "rly", "realy"),
    ("just", "jus"),
    ("what", "wat"),
    ("again", "agian"),
    ("received", "recieved", "got"),
    ("receive", "recieve", "get"),
    ("definitely", "definately", "def"),
    ("account", "acount", "acct"),
    ("password", "pasword", "pw"),
    ("address", "adress", "addr"),
    ("cancel", "cancle"),
    ("already", "allready", "alredy"),
    ("subscription", "subscripton", "sub"),
    ("delivered", "deliverd"),
    ("invoice", "invoce"),
    ("order", "ordr", "order"),
    ("my", "my", "mah"),
    ("with", "w/"),
    ("the", "the", "teh"),
    ("no", "no", "NO"),
    ("help", "help", "HELP"),
    ("working", "workin", "wroking"),
    ("is", "is", "iz"),
    ("it", "it", "it"),
    ("not", "not", "NOT"),
    ("have", "have", "hav"),
    ("was", "was", "wuz"),
    ("need", "need", "ned"),
    ("want", "want", "wanna"),
    ("this", "this", "ths"),
    ("says", "says", "sayz"),
    ("there", "there", "their"),
    ("can", "can", "cn"),
    ("anything", "anythin"),
    ("charged", "charge", "chargd"),
    ("refund", "refnd", "refund"),
    ("today", "2day", "today"),
    ("to", "to", "2"),
    ("for", "for", "4"),
)

#: Word variants for the generator's house style (sampling variation between generations).
FORMAL_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("I am", "I'm"),
    ("I would", "I'd"),
    ("assistance", "help", "support"),
    ("greatly", "truly", "sincerely"),
    ("unfortunately", "regrettably"),
    ("Unfortunately", "Regrettably"),
    ("However", "That said"),
    ("however", "that said"),
    ("thoroughly", "carefully"),
    ("currently", "presently"),
    ("issue", "problem", "matter"),
    ("Could you please", "Could you kindly", "Would you please"),
    ("would like to", "wish to", "want to"),
    ("regarding", "concerning", "about"),
    ("prompt", "swift", "timely"),
    ("Additionally,", "Moreover,", "In addition,"),
    ("Furthermore,", "Also,", "Moreover,"),
    ("to ensure", "to make sure"),
    ("several", "multiple"),
    ("attempted", "tried"),
    ("inquire", "ask"),
    ("experiencing", "facing", "encountering"),
    ("immediately", "right away"),
    ("appears", "seems"),
    ("provide", "share", "offer"),
    ("writing", "reaching out"),
    ("reaching out", "writing", "contacting you"),
    ("information", "details"),
    ("Thank you", "Thanks", "Many thanks"),
    ("appreciated", "valued"),
    ("resolution", "fix", "solution"),
    ("mentioned", "noted"),
    ("confirm", "verify"),
    ("recent", "latest"),
    ("my account", "my profile", "my account"),
    ("the website", "your website", "the site"),
    ("does not appear", "does not seem", "doesn't seem"),
    ("unable to", "not able to"),
    ("resolving", "addressing", "sorting out"),
    ("look forward to", "await", "am looking forward to"),
    ("kindly", "respectfully", "politely"),
    ("concern", "question", "situation"),
    ("Help Center", "FAQ section", "knowledge base"),
    ("articles", "guides", "resources"),
    ("checked", "looked through", "searched"),
    ("did not", "didn't"),
    ("do not", "don't"),
    ("have not", "haven't"),
    ("request", "ask"),
    ("ensure", "guarantee"),
    ("However,", "Nevertheless,", "Still,"),
    ("I hope", "I trust"),
    ("your team", "your department", "the team"),
    ("as soon as possible", "at your earliest convenience", "soon"),
    ("quite", "rather", "very"),
    ("now", "at this point"),
    ("believe", "think", "feel"),
    ("purchased", "bought", "ordered"),
    ("further", "additional", "more"),
    ("significant", "considerable", "notable"),
    ("each time", "every time", "whenever"),
    ("message", "note", "email"),
)
