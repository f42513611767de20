"""Who said what: a mediator's text attributes every claim to the party who made it.

    from commonground.tasks.attribution import attributed_claims, check_attribution
    attributed_claims("Ana says Marc kept 800 euros; Marc lent Ana a bike.", ("Ana", "Marc"))
    check_attribution(model, text, messages)   # a Check and the model calls it took

`claims.py` finds the attributed claims deterministically; `judge.py` asks the model whether a party's own
messages say a claim (and, for a bare statement of fact about a party, whether anyone's do).
"""

from commonground.tasks.attribution.claims import Claim, attributed_claims
from commonground.tasks.attribution.judge import Attribution, check_attribution, judge_claim

__all__ = ["Attribution", "Claim", "attributed_claims", "check_attribution", "judge_claim"]
