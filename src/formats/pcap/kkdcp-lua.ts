/**
 * `kkdcp.lua`, shipped with every capture export: Wireshark 4.0 has no MS-KKDCP dissector and its
 * Kerberos dissector listens on port 88 only, so the KDC proxy's HTTP bodies would show as undecoded
 * media. This small dissector registers on the media type `application/kerberos`, reads the
 * KDC-PROXY-MESSAGE (MS-KKDCP §2.2.2: SEQUENCE { [0] kerb-message OCTET STRING, [1] target-domain,
 * [2] dclocator-hint }), and hands kerb-message without its 4-byte length (the TCP record mark of
 * RFC 4120 §7.2.2) to Wireshark's own Kerberos dissector, which then decrypts with the keytab.
 *
 * Load it with `tshark -X lua_script:kkdcp.lua …`, or put it in Wireshark's personal plugins folder
 * (Help → About Wireshark → Folders → Personal Lua Plugins).
 */
export const KKDCP_LUA_NAME = 'kkdcp.lua';

export const KKDCP_LUA = `-- kkdcp.lua: MS-KKDCP (Kerberos KDC proxy) bodies for Wireshark, from Kerberos Playground.
-- Use: tshark -X lua_script:kkdcp.lua -r capture.pcapng -o kerberos.decrypt:TRUE -o kerberos.file:run.keytab
-- or copy it into Wireshark's personal Lua plugins folder.
local kkdcp = Proto("kkdcp", "MS-KKDCP KDC-PROXY-MESSAGE")
local f_message = ProtoField.bytes("kkdcp.kerb_message", "kerb-message")
local f_length = ProtoField.uint32("kkdcp.length", "Length of the Kerberos message")
local f_domain = ProtoField.string("kkdcp.target_domain", "target-domain")
local f_hint = ProtoField.int32("kkdcp.dclocator_hint", "dclocator-hint")
kkdcp.fields = { f_message, f_length, f_domain, f_hint }

-- Wireshark's Kerberos dissector as it reads a UDP datagram: a message without a record mark.
local kerberos = DissectorTable.get("udp.port"):get_dissector(88)

-- One DER header at off: its tag, the content's length and where the content starts (nil if cut short).
local function der(tvb, off, stop)
  if off + 2 > stop then return nil end
  local tag = tvb(off, 1):uint()
  local len = tvb(off + 1, 1):uint()
  off = off + 2
  if len >= 0x80 then
    local n = len - 0x80
    if n < 1 or n > 4 or off + n > stop then return nil end
    len = 0
    for _ = 1, n do
      len = len * 256 + tvb(off, 1):uint()
      off = off + 1
    end
  end
  if off + len > stop then return nil end
  return tag, len, off
end

function kkdcp.dissector(tvb, pinfo, tree)
  local size = tvb:len()
  local tag, len, off = der(tvb, 0, size)
  if tag ~= 0x30 then return 0 end
  local item = tree:add(kkdcp, tvb(0, off + len))
  pinfo.cols.protocol:set("KKDCP")
  local stop = off + len
  while off < stop do
    local ctag, clen, coff = der(tvb, off, stop)
    if not ctag then break end
    local itag, ilen, ioff = der(tvb, coff, coff + clen)
    if ctag == 0xa0 and itag == 0x04 and ilen >= 4 then
      item:add(f_message, tvb(ioff, ilen))
      item:add(f_length, tvb(ioff, 4))
      kerberos:call(tvb(ioff + 4, ilen - 4):tvb(), pinfo, tree)
    elseif ctag == 0xa1 and itag then
      item:add(f_domain, tvb(ioff, ilen))
    elseif ctag == 0xa2 and itag then
      item:add(f_hint, tvb(ioff, ilen))
    end
    off = coff + clen
  end
  return off
end

DissectorTable.get("media_type"):add("application/kerberos", kkdcp)
`;
