"""What a chat message asks: how to do something (a how-to's question), a question at all, or the possible causes
(a differential rather than one answer). The tests run on the cleaned line; the how and question patterns also on
its OCR-folded form (i l 1 | read as l, 0 as o), so a screenshot's "explaln" or "whlch" still asks.

>>> asks_how(ocr_fold("how do i decode 5062 in wireshark?")), asks_causes("what could it be?")
(True, True)
>>> asks_causes("why does the expe send a 404?")
False
"""
from __future__ import annotations

import re

from .normalize import ocr_fold

_ASKS_HOW = re.compile(
    r"\b(how (do|can|to|does|should|would|is)|where (do|can|is|are|in|does)|which (module|modules|log|logs|port|"
    r"ports|page|filter|filters|setting|tool)|what are the steps|walk me through|steps (to|for)|is there a "
    r"(quick|way|page|tool|command)|can i (see|test|check|find|get|save|export|tell)|how does|where does|"
    r"explain|what happens|show me how|what does .{0,40} check|is there (a|an|any) |what'?s the (command|way|page|"
    r"menu|equivalent|order|sequence)|what (command|menu|page|filter)|which (command|menu)|what should i (search|"
    r"look|check|test)|what do i (search|look|check|test)|in which order|dry.?run|walk (me )?through)\b"
)
_QUESTION = re.compile(r"\?|^\s*(why|what|how|where|which|can|could|is|are|does|do|any idea|anyone|help)\b|"
                       r"为什么|怎么|如何|吗|哪|是否|什么|怎样|能否|求助")
# the same questions with the letters OCR confuses folded (i l 1 | -> l, 0 -> o), matched on folded text: a
# screenshot's "explaln" or "whlch" still asks
# asks for the possible causes, not for one answer: "what could it be?", "the usual causes?", "where do I start?"
_ASKS_CAUSES = re.compile(
    r"\bwhat\s+(could|can|might|may|would)\s+(it\s+be|be\s+(the\s+)?(cause|reason|wrong|going\s+on)|cause|make|"
    r"explain|lead\s+to|trigger)|\b(usual|common|typical|possible|likely|probable|known)\s+(causes?|reasons?|"
    r"suspects?|culprits?|explanations?)|\bwhat\s+are\s+(the\s+|my\s+)?(possibilities|options|causes|reasons|"
    r"suspects|candidates)|\bwhere\s+(do|should|would|can)\s+(i|we)\s+(start|begin)|\bwhere\s+to\s+(start|begin)|"
    r"\bany\s+(ideas|thoughts|suggestions|pointers)|\bideas\s*\?|\bwhat\s+(usually|typically|often|commonly)\s+"
    r"(causes|goes\s+wrong|breaks)|\bwhat\s+(else\s+)?(can|could)\s+(fail|go\s+wrong|break)|\bhow\s+do\s+(i|we)\s+"
    r"tell\s+which|\bwhich\s+settings?\s+(causes?|decides?|controls?)|\bwhich\s+settings\b|\bthat\s+can\s+fail\b|"
    r"\bwhat\s+does\s+(that|this|it)\s+(usually\s+)?(point\s+to|mean)|\bwhat\s+now\b|"
    r"\bwhat(?:'?s|\s+is)\s+(usually\s+|typically\s+|normally\s+)?behind|\bwhat\s+should\s+(i|we)\s+look\s+at|"
    r"\bhow\s+do\s+(i|we)\s+(find|figure|work)\s+out\s+(why|which)|\bnext\s+steps?\s*\?|\bwhat\s+next\b|"
    r"\bwhere\s+(should|do|would|can)\s+(i|we)\s+(look|check)\s*(first\s*)?(\?|$)|"
    r"可能的?原因|哪些原因|哪些可能|从哪(里|儿)?(开始|入手|查起)|排查思路|怎么回事")
# every way of asking for the causes holds one of these (a cheap test before the long pattern)
_CAUSE_CUE = re.compile("what|usual|common|typical|possible|likely|probable|known|where|idea|how|which|fail|point|mean|"
                        "next|any|原因|可能|从哪|排查|回事")
# the same in Chinese: "怎么用", "怎么抓", "在哪里点", "一步步": how to do it, not what went wrong ("怎么回事")
_ASKS_HOW_ZH = re.compile(r"(?:怎么|怎样|如何)[^，。？！?!,]{0,16}?"
                          r"(?:用|做|配|设置|设|操作|抓|开|看|查|测试|导出|打开|使用|启用|解码|走)|"
                          r"在哪(?:里|儿)?(?:点|找|看|设置|配|开)|哪里可以|步骤|一步步|流程")
_ASKS_HOW_FOLDED = re.compile(ocr_fold(_ASKS_HOW.pattern) + "|" + _ASKS_HOW_ZH.pattern)
_QUESTION_FOLDED = re.compile(ocr_fold(_QUESTION.pattern))


def asks_how(folded: str) -> bool:
    """The (OCR-folded) line asks how to do something: a how-to's question."""
    return bool(_ASKS_HOW_FOLDED.search(folded))


def asks_question(folded: str) -> bool:
    """The (OCR-folded) line asks something."""
    return bool(_QUESTION_FOLDED.search(folded))


def asks_causes(text: str) -> bool:
    """The line asks for the possible causes ("what could it be?", "where do I start?"), not for one answer."""
    return bool(_CAUSE_CUE.search(text)) and bool(_ASKS_CAUSES.search(text))
