"""The strategy of each account type (after Rackham & DeVincentis) and the next actions it suggests."""

from django.utils.translation import gettext_lazy as _

from .choices import AccountType

PLAYBOOKS = {
    AccountType.INTRINSIC: {
        "type": AccountType.INTRINSIC,
        "title": _("Intrinsic value: make buying cheap and easy"),
        "strategy": _(
            "The customer buys the product, not the relationship, and watches the price. Compete on price and "
            "convenience and keep the cost to serve low."
        ),
        "actions": [
            _("Offer a standard fleet price list instead of negotiating every deal."),
            _("Move routine contact to phone and messages; save visits for orders."),
            _("Hold discounts to the tier allowance; trade price only for volume or prompt payment."),
            _("Make ordering, delivery and paperwork fast and predictable."),
        ],
    },
    AccountType.EXTRINSIC: {
        "type": AccountType.EXTRINSIC,
        "title": _("Extrinsic value: sell solutions, not vehicles"),
        "strategy": _(
            "The customer values advice and services around the vehicle. Win on the solution: financing, "
            "insurance, maintenance packages, upfitting and fleet management advice, with a dedicated advisor."
        ),
        "actions": [
            _("Name a dedicated advisor and agree a regular consultation."),
            _("Propose a package: financing, insurance and maintenance in one offer."),
            _("Review the fleet's running costs and suggest replacements or upfitting."),
            _("Track the attach rate of services on every order."),
        ],
    },
    AccountType.STRATEGIC: {
        "type": AccountType.STRATEGIC,
        "title": _("Strategic value: build a partnership"),
        "strategy": _(
            "The customer and the dealer complement each other's resources. Work as partners: framework "
            "agreements, joint planning, executive sponsors on both sides and multi-year volume."
        ),
        "actions": [
            _("Name an executive sponsor and meet the customer's executives twice a year."),
            _("Negotiate or renew a multi-year framework agreement with volume and service levels."),
            _("Plan fleet renewal jointly for the next two to three years."),
            _("Review the account plan quarterly: stage, contacts, objectives and actions."),
        ],
    },
}
