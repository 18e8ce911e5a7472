# Pure-Python SM3 (GB/T 32905-2016) and HMAC-SM3 (RFC 2104), written from
# the standard's text, to compute known-answer vectors for govshare's audit
# package independently of gmsm (TestHMACSM3KnownAnswers). Run it by hand:
#     python3 audit/testdata/hmac_sm3.py
# It needs nothing beyond Python 3; the same values come from Python's hmac
# module over OpenSSL's SM3: hmac.new(key, msg, 'sm3').
import struct

IV = [0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600,
      0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E]

def rotl(x, n):
    n %= 32
    return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF

def p0(x): return x ^ rotl(x, 9) ^ rotl(x, 17)
def p1(x): return x ^ rotl(x, 15) ^ rotl(x, 23)

def compress(v, block):
    w = list(struct.unpack('>16I', block))
    for j in range(16, 68):
        w.append(p1(w[j-16] ^ w[j-9] ^ rotl(w[j-3], 15)) ^ rotl(w[j-13], 7) ^ w[j-6])
    w1 = [w[j] ^ w[j+4] for j in range(64)]
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        t = 0x79CC4519 if j < 16 else 0x7A879D8A
        ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) & 0xFFFFFFFF, 7)
        ss2 = ss1 ^ rotl(a, 12)
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff = (a & b) | (a & c) | (b & c)
            gg = (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + w1[j]) & 0xFFFFFFFF
        tt2 = (gg + h + ss1 + w[j]) & 0xFFFFFFFF
        d, c, b, a = c, rotl(b, 9), a, tt1
        h, g, f, e = g, rotl(f, 19), e, p0(tt2)
    return [x ^ y for x, y in zip([a, b, c, d, e, f, g, h], v)]

def sm3(msg):
    l = len(msg) * 8
    msg = msg + b'\x80' + b'\x00' * ((55 - len(msg)) % 64) + struct.pack('>Q', l)
    v = IV
    for i in range(0, len(msg), 64):
        v = compress(v, msg[i:i+64])
    return struct.pack('>8I', *v)

def hmac_sm3(key, msg):
    if len(key) > 64:
        key = sm3(key)
    key = key.ljust(64, b'\x00')
    ipad = bytes(k ^ 0x36 for k in key)
    opad = bytes(k ^ 0x5C for k in key)
    return sm3(opad + sm3(ipad + msg))

if __name__ == '__main__':
    # GB/T 32905-2016 appendix A
    assert sm3(b'abc').hex() == '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'
    assert sm3(b'abcd' * 16).hex() == 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732'
    leaf = sm3(b'abc')
    key32 = b'0123456789abcdef0123456789abcdef'
    print('key32, leaf=SM3(abc):', hmac_sm3(key32, leaf).hex())
    leaf2 = sm3(b'abcd' * 16)
    print('key32, leaf=SM3(abcd*16):', hmac_sm3(key32, leaf2).hex())
    key100 = bytes(range(100))
    print('key 00..63 (100 bytes), leaf=SM3(abc):', hmac_sm3(key100, leaf).hex())
    print('key check label:', hmac_sm3(key32, b'govshare-audit key check v1' + bytes(range(16))).hex())
