"""A question in Simplified Chinese also read in English: the terms of this field (the Expressway and Control Hub
pages' zh_cn names, the log strings as users translate them) and their English, so the knowledge base's phrases,
written in English, are said by a Chinese question as by its English wording.

Only terms, never sentences: "对端的 TLS 证书身份不可接受" reads "certificate identity unacceptable", "套接字测试失败"
reads "socket test failed". The character pairs of the Chinese (normalize.cjk_tokens) still carry the rest of the
question to the entries' own Chinese wordings.

>>> english_reading("Webex 来电时 Expressway-E 报“未知 CA”，TLS 验证主题名称写错了吗？")
'incoming call unknown ca, tls verify subject name'
>>> english_reading("no chinese here")
''
"""
from __future__ import annotations

import re

from .normalize import to_nfkc

# zh term -> the English words the knowledge base uses for it; longer terms are read first, so "证书未知" is not
# also "证书" (certificate)
GLOSSARY: dict[str, str] = {
    # mutual TLS and certificates
    "双向tls": "mutual tls", "握手": "handshake", "tls协商错误": "tls negotiation error",
    "协商错误": "negotiation error",
    "根证书": "root certificate", "中间证书": "intermediate certificate", "证书链": "certificate chain",
    "完整的证书链": "full certificate chain", "自签名": "self signed", "临时证书": "temporary certificate",
    "出厂": "default certificate", "默认证书": "default certificate", "服务器证书": "server certificate",
    "受信任的ca": "trusted ca", "受信任ca": "trusted ca", "信任列表": "trusted ca list", "受信任": "trusted",
    "未知ca": "unknown ca", "证书未知": "certificate unknown", "证书验证失败": "certificate verify failed",
    "身份不可接受": "identity unacceptable", "证书身份": "certificate identity", "主题名称": "subject name",
    "tls验证主题名称": "tls verify subject name", "tls验证入站映射": "tls verify inbound mapping",
    "入站映射": "inbound mapping", "tls验证模式": "tls verify mode", "过期": "expired", "到期": "expired",
    "客户端身份验证": "client authentication", "客户端认证": "client authentication",
    "云证书管理": "cloud certificate management", "获取证书": "get certificates", "上传": "upload",
    "证书": "certificate", "告警": "alert", "警报": "alert", "致命": "fatal", "颁发者": "issuer", "签发": "issued",
    "颁发": "issued", "公共ca": "public ca", "内部ca": "private ca", "企业ca": "private ca", "私有ca": "private ca",
    "中间ca": "intermediate ca", "只有一张证书": "only one certificate", "旧证书": "old certificates",
    "删掉": "delete", "删除": "delete",
    "加密sip呼叫的证书": "certificates for encrypted sip calls",
    # the connection on 5062, DNS
    "防火墙": "firewall", "应用层检测": "inspection", "sip检测": "sip inspection", "检测": "inspection",
    "重置": "reset", "端口": "port", "监听": "listening", "套接字测试": "socket test",
    "tcp连接失败": "tcp connection failed", "连接失败": "connection failed", "超时": "timeout",
    "dns查询失败": "dns lookup failed", "dns查找失败": "dns lookup failed", "解析": "resolve",
    "srv记录": "srv record", "sip目标": "sip destination", "连接测试": "connectivity test",
    "主机名": "hostname", "没有放行": "blocked", "未放行": "blocked", "放行": "open", "入站": "inbound",
    "出站": "outbound", "没有任何来自": "no packets from", "一直没有回应": "no response", "没有回应": "no response",
    "检查连接": "check connectivity", "公共dns": "public dns", "dns区域": "dns zone", "dns服务器": "dns server",
    # routing
    "搜索规则": "search rule", "优先级": "priority", "匹配后停止": "stop", "搜索历史": "search history",
    "穿越客户端": "traversal client", "穿越区域": "traversal zone", "区域": "zone",
    "预加载sip路由": "preloaded sip routes",
    "预加载的sip路由": "preloaded sip routes", "路由头": "route header", "route头": "route header",
    "呼叫策略": "call policy", "未找到": "not found", "禁止": "forbidden", "集群完全限定域名": "cluster fqdn",
    "集群fqdn": "cluster fqdn", "拨号方案": "dial plan", "定位": "locate", "工具": "tool", "别名": "alias",
    "检查模式": "check pattern",
    # ringing, answer, media
    "两个来电通知": "two call notifications", "两个通知": "two notifications", "两个来电": "two call notifications",
    "参数保留": "parameter preservation", "远程设备": "remote device", "最大传入消息大小": "max incoming message size",
    "传入消息": "incoming message", "编解码": "codec", "没有声音": "no audio", "听不到": "no audio",
    "无声音": "no audio", "单向音频": "one way audio", "媒体端口": "media ports", "掉线": "drops", "断开": "disconnect",
    "接听": "answered", "接通": "answered", "断了": "drops", "断掉": "drops",
    "挂断": "hangs up", "加入按钮": "join button", "回铃音": "ringback", "振铃": "ring", "座机": "desk phone",
    "“加入”按钮": "join button", "不响": "does not ring",
    # states, so a clause that says a part is fine or off reads so ("主题名称是对的", "入站映射没开")
    "是对的": "ok", "正确": "ok", "没问题": "ok", "正常": "ok", "成功": "ok", "失败": "failed",
    "没通过": "failed", "未通过": "failed", "不通过": "failed", "测试": "test", "没开": "off",
    "未开启": "off", "没有开启": "off", "关闭": "off", "已开启": "on", "开启": "on",
    # direction, tools, places
    "外呼": "outbound", "呼出": "outbound", "呼入": "inbound", "来电": "incoming call", "混合呼叫": "hybrid call",
    "呼叫服务连接": "call service connect", "导出": "export", "抓包": "capture", "诊断日志": "diagnostic log",
}
_TERMS = sorted(GLOSSARY, key=len, reverse=True)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CLAUSE = re.compile(r"[，。；！？、,;!?]|可是|但是|但")


def english_reading(text: str) -> str:
    """The English of the field's terms in `text`, clause by clause in the order they stand ("" when there is no
    Chinese): the clauses keep their commas, so a clause that says a part is fine is read as reassurance."""
    if text.isascii() or not _CJK.search(text):
        return ""
    clauses = [_terms(clause) for clause in _CLAUSE.split(to_nfkc(text).lower())]
    return ", ".join(c for c in clauses if c)


def _terms(clause: str) -> str:
    rest = "".join(clause.split())   # zh text has no blanks between terms: "未知 CA" is "未知ca"
    found: list[tuple[int, str]] = []
    for term in _TERMS:
        start = rest.find(term)
        while start >= 0:
            found.append((start, GLOSSARY[term]))
            rest = rest[:start] + "\0" * len(term) + rest[start + len(term):]   # read once, by its longest term
            start = rest.find(term, start + len(term))
    return " ".join(english for _, english in sorted(found))
