"""The entailment judge: does a hypothesis B keep the meaning and the stance of a premise A?

    from commonground.tasks.entailment import judge
    verdict = judge(model, "I did not break the vase.", "I broke the vase.")
    verdict.value.relation   # "contradicts"
    verdict.value.stance     # "reversed"
    verdict.value.score      # 0.0
    verdict.completions      # the model calls, each with its CallRecord

`Judgement.relation`: "entails" when B says what A says (insults and shouting are not claims, so a politer B
entails A; so does a third-person report, "she says..."); "contradicts" when B says something A denies (a
negation flipped, who did what to whom turned around, another number or date); "neutral" when B
contradicts nothing but leaves out or adds a claim. `Judgement.stance`: "same", "reversed" (B takes the
other side) or "lost" (B no longer says what A's author wants or holds). `kept` is a same stance without
contradiction; `score` is 1 (entails, same stance), 0.5 (kept, a claim left out or added) or 0. The same
words (case and punctuation aside) entail each other without a model call.

Works with any `Model` through structured output; the prompt (`prompt.toml`, versioned) gives few-shot
turns, the stance asked first. `bench/eval_entailment.py` measures it on 40 hand-labelled pairs: on the 23
never used to choose the prompt, the default 1.5B model gets the relation right for 0.70, the stance for
0.65 and kept-or-not for 0.74, where always answering the most frequent label scores 0.48, 0.43 and 0.70.
It misses some negation flips and most reversed addressees ("you owe me" → "I owe you"): where the
judgement matters, configure a larger model.
"""

from commonground.tasks.entailment.judge import Judgement, entailment_prompt, judge

__all__ = ["Judgement", "entailment_prompt", "judge"]
