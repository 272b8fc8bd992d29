"""What PLOVER event types have in common, as the event stage uses it."""

from __future__ import annotations

# Events between two parties: a missing counterpart is looked for elsewhere in the sentence.
DYADIC_TYPES = {"AGREE", "CONSULT", "COOPERATE", "AID", "REQUEST", "REJECT", "SUPPORT", "CONCEDE"}
# Events whose parties act together: the record says so (``reciprocal``).
RECIPROCAL_TYPES = {"CONSULT", "COOPERATE", "AGREE"}
# Events that parties do together: several subjects are the parties to one another.
JOINT_TYPES = {"CONSULT", "AGREE", "COOPERATE", "REJECT"}
# Cooperation told in the future tense is coded as AGREE (PLOVER manual, AGREE).
COOPERATIVE_TYPES = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
# Events whose agent is never the one who reports them ("the ministry said 29 were killed").
UNSPOKEN_TYPES = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE"}
# Acts aimed at another state far more often than at the actor's own: a target whose country
# was only guessed from the story and equals the actor's is more likely a wrong guess.
OUTWARD_TYPES = {"SANCTION", "THREATEN", "ACCUSE", "REJECT"}
# Events that are things said: their complements are their content, not further events.
SPEECH_ACT_TYPES = {"ACCUSE", "REQUEST", "THREATEN", "REJECT", "AGREE", "SUPPORT", "PROTEST"}
# Types whose parties act together: the order of actor and recipient does not tell two such
# events apart ("Kim met Putin", "Putin met Kim").
UNORDERED_TYPES = {"CONSULT", "COOPERATE", "AGREE"}
