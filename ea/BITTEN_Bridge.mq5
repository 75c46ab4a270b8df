//+------------------------------------------------------------------+
//| BITTEN_Bridge.mq5 — the BITTEN Expert Advisor (MetaTrader 5, x64) |
//+------------------------------------------------------------------+
// Connects this terminal to a BITTEN server over ZeroMQ, as src/Bitten.Simulation/Ea (its tested twin) does:
//   PUSH   -> InpMarketHost (else InpHost):InpMarketPort (5556)  TICK, OHLC, handshake, heartbeat, DISCONNECT
//   DEALER -> InpHost:InpCommandPort (5555)  identity = InpUuid; sends HELLO, HEARTBEAT; receives fire,
//                                             close_ticket, close_all, ping
//   PUSH   -> InpHost:InpConfirmPort (5558)  confirmation, close_confirmation, pong
// Message formats: docs/protocol.md. Installation and troubleshooting: docs/ea.md.
//
// Inputs
//   InpUuid            this EA's UUID (1-64 chars): its DEALER identity and user_uuid/target_uuid in every message
//   InpPairingCode     one-time code from `bitten user pair`, sent in HELLO to bind this EA to a user (empty: none)
//   InpHost            the server's host name or IP address (the server binds, the EA connects)
//   InpMarketHost      the bridge's host when it runs on another machine than the engine; empty = InpHost
//   InpCommandPort     ROUTER port of the server (5555)
//   InpMarketPort      market-data PULL port of the server (5556)
//   InpConfirmPort     confirmation PULL port of the server (5558)
//   InpServerKey       the server's CURVE public key (40 Z85 chars, `bitten keys generate`); empty = no CURVE.
//                      When set, the EA makes its own key pair at start (zmq_curve_keypair) for all three sockets.
//   InpTimerMs         how often (1-50 ms) the EA polls commands and Market Watch quotes; default 10
//   InpHeartbeatSec    seconds between HEARTBEATs (30)
//   InpPingSec         ZMTP heartbeat on every socket (5): a PING this often, and a connection silent for
//   InpPingTimeoutSec  this long (15) is dropped and dialled again, so a pulled cable is noticed in seconds, not
//                      after minutes of TCP retransmission; the server's Zmq:PingSeconds/PingTimeoutSeconds match
//   InpHistoryBars     closed M5 bars per symbol sent as OHLC when the EA starts (300)
//   InpMagic           magic number of the EA's orders; only positions with it are reported and closed
//   InpDeviationPoints the largest slippage accepted on a market order, in points
//
// JSON convention (tests/Bitten.Wire.Tests/EaSourceContractTests.cs reads this file and relies on it): every key
// written goes through JStr/JNum/JInt/JArr with the key as a string literal, every message starts with
// JBegin("<type>") in a function of its own, and every key read goes through JGetStr/JGetNum/JFind with a literal.
#property copyright "BITTEN"
#property version   "1.00"
#property strict

#include <Trade\Trade.mqh>

#import "libzmq.dll"
long zmq_ctx_new();
int  zmq_ctx_term(long context);
long zmq_socket(long context, int type);
int  zmq_close(long socket);
int  zmq_setsockopt(long socket, int option, const uchar &value[], ulong size);
int  zmq_connect(long socket, const uchar &endpoint[]);
int  zmq_send(long socket, const uchar &buffer[], ulong size, int flags);
int  zmq_recv(long socket, uchar &buffer[], ulong size, int flags);
int  zmq_errno();
int  zmq_curve_keypair(uchar &public_key[], uchar &secret_key[]);
#import

input string InpUuid            = "";
input string InpPairingCode     = "";
input string InpHost            = "127.0.0.1";
input string InpMarketHost      = "";
input int    InpCommandPort     = 5555;
input int    InpMarketPort      = 5556;
input int    InpConfirmPort     = 5558;
input string InpServerKey       = "";
input int    InpTimerMs         = 10;
input int    InpHeartbeatSec    = 30;
input int    InpPingSec         = 5;
input int    InpPingTimeoutSec  = 15;
input int    InpHistoryBars     = 300;
input ulong  InpMagic           = 7176191872;
input int    InpDeviationPoints = 10;

// libzmq constants (zmq.h 4.x)
#define ZMQ_DEALER           5
#define ZMQ_PUSH             8
#define ZMQ_IDENTITY         5
#define ZMQ_LINGER           17
#define ZMQ_SNDHWM           23
#define ZMQ_IMMEDIATE        39
#define ZMQ_CURVE_PUBLICKEY  48
#define ZMQ_CURVE_SECRETKEY  49
#define ZMQ_CURVE_SERVERKEY  50
#define ZMQ_DONTWAIT         1
#define ZMQ_HEARTBEAT_IVL    75
#define ZMQ_HEARTBEAT_TTL    76
#define ZMQ_HEARTBEAT_TIMEOUT 77
#define ZMQ_CONNECT_TIMEOUT  79
#define EA_VERSION           "bitten-mt5-1"
#define RECENT_FIRE_IDS      500     // as PaperBroker.RecentFireIdCount
#define MAX_KEPT_FIRES       20000   // answered fires kept in memory for the duplicate check
#define RECV_BYTES           65536

long     g_ctx = 0, g_market = 0, g_dealer = 0, g_confirm = 0;
uchar    g_curvePublic[41], g_curveSecret[41];
string   g_nodeId;
string   g_firesFile;
string   g_symbols[];
long     g_lastTickMsc[];
datetime g_lastBar[];          // open time (server time) of the last M5 bar sent per symbol; 0 = history not yet sent
string   g_fireIds[];          // every answered fire_id, with its confirmation as stored in g_firesFile
string   g_fireLines[];
int      g_fireCount = 0;
int      g_offsetSec = 0;      // broker server time - UTC
long     g_ticksSent = 0;
bool     g_helloSent = false;
ulong    g_lastHeartbeat = 0, g_lastBarCheck = 0;
uchar    g_recv[];
CTrade   g_trade;

//--- JSON writing: the only place keys are written ---------------------------------------------------------------
string JEsc(const string s)
  {
   string out = "";
   int n = StringLen(s);
   for(int i = 0; i < n; i++)
     {
      ushort c = StringGetCharacter(s, i);
      if(c == '"')       out += "\\\"";
      else if(c == '\\') out += "\\\\";
      else if(c < 0x20)  out += StringFormat("\\u%04x", c);
      else               out += ShortToString(c);
     }
   return out;
  }
string JBegin(const string type) { return "{" + JStr("type", type); }
string JEnd(const string fields) { return StringSubstr(fields, 0, StringLen(fields) - 1) + "}"; }
string JStr(const string key, const string value) { return "\"" + key + "\":\"" + JEsc(value) + "\","; }
string JInt(const string key, const long value) { return "\"" + key + "\":" + IntegerToString(value) + ","; }
string JNum(const string key, const double value, const int digits)
  {
   // JSON has no NaN or infinity; a broken value is sent as 0 and the server's checks refuse it.
   string text = MathIsValidNumber(value) ? DoubleToString(value, digits) : "0";
   return "\"" + key + "\":" + text + ",";
  }
// items: comma-terminated JSON values (each "...,"), as JEnd leaves objects plus a comma
string JArr(const string key, const string items)
  {
   string body = StringLen(items) > 0 ? StringSubstr(items, 0, StringLen(items) - 1) : "";
   return "\"" + key + "\":[" + body + "],";
  }

//--- JSON reading of the server's flat commands --------------------------------------------------------------------
ushort Hex4(const string h)
  {
   ushort v = 0;
   for(int i = 0; i < 4; i++)
     {
      ushort c = StringGetCharacter(h, i);
      v = (ushort)(v * 16 + (c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0'));
     }
   return v;
  }
// The raw value of "key" at the top level: quoted says whether it was a JSON string (unescaped into value).
bool JFind(const string json, const string key, string &value, bool &quoted)
  {
   string needle = "\"" + key + "\"";
   int n = StringLen(json);
   int at = StringFind(json, needle);
   while(at >= 0)
     {
      int i = at + StringLen(needle);
      while(i < n && (StringGetCharacter(json, i) == ' ' || StringGetCharacter(json, i) == '\t')) i++;
      if(i < n && StringGetCharacter(json, i) == ':')
        {
         i++;
         while(i < n && StringGetCharacter(json, i) == ' ') i++;
         value = "";
         quoted = i < n && StringGetCharacter(json, i) == '"';
         if(quoted)
           {
            for(i++; i < n; i++)
              {
               ushort c = StringGetCharacter(json, i);
               if(c == '"') return true;
               if(c == '\\' && i + 1 < n)
                 {
                  ushort e = StringGetCharacter(json, ++i);
                  if(e == 'u' && i + 4 < n) { value += ShortToString(Hex4(StringSubstr(json, i + 1, 4))); i += 4; }
                  else if(e == 'n') value += "\n";
                  else if(e == 't') value += "\t";
                  else value += ShortToString(e);
                 }
               else value += ShortToString(c);
              }
            return false; // unterminated string
           }
         for(; i < n; i++)
           {
            ushort c = StringGetCharacter(json, i);
            if(c == ',' || c == '}' || c == ']' || c == ' ') break;
            value += ShortToString(c);
           }
         return StringLen(value) > 0;
        }
      at = StringFind(json, needle, at + 1);
     }
   return false;
  }
// A string field: absent, null or not a string is false (a number sent as a string is never traded on, and vice versa).
bool JGetStr(const string json, const string key, string &value)
  {
   bool quoted = false;
   return JFind(json, key, value, quoted) && quoted;
  }
bool JGetNum(const string json, const string key, double &value)
  {
   string raw = "";
   bool quoted = false;
   if(!JFind(json, key, raw, quoted) || quoted) return false;
   ushort c = StringGetCharacter(raw, 0);
   if(!(c == '-' || (c >= '0' && c <= '9'))) return false;
   value = StringToDouble(raw);
   return MathIsValidNumber(value);
  }

//--- ZeroMQ ----------------------------------------------------------------------------------------------------
bool SetInt(const long socket, const int option, const int value)
  {
   uchar b[4];
   b[0] = (uchar)(value & 0xFF); b[1] = (uchar)((value >> 8) & 0xFF);
   b[2] = (uchar)((value >> 16) & 0xFF); b[3] = (uchar)((value >> 24) & 0xFF);
   return zmq_setsockopt(socket, option, b, 4) == 0;
  }
bool SetText(const long socket, const int option, const string text)
  {
   uchar b[];
   int n = StringToCharArray(text, b, 0, WHOLE_ARRAY, CP_UTF8) - 1; // without the NUL
   return zmq_setsockopt(socket, option, b, n) == 0;
  }
long OpenSocket(const int type, const string host, const int port, const int hwm, const string identity)
  {
   long s = zmq_socket(g_ctx, type);
   if(s == 0) { PrintFormat("BITTEN: zmq_socket failed, errno %d", zmq_errno()); return 0; }
   SetInt(s, ZMQ_LINGER, 500);      // lets DISCONNECT and a last confirmation leave, then close
   SetInt(s, ZMQ_SNDHWM, hwm);
   if(identity != "") { SetText(s, ZMQ_IDENTITY, identity); SetInt(s, ZMQ_IMMEDIATE, 1); }
   SetInt(s, ZMQ_HEARTBEAT_IVL, InpPingSec * 1000);
   SetInt(s, ZMQ_HEARTBEAT_TIMEOUT, InpPingTimeoutSec * 1000);
   SetInt(s, ZMQ_HEARTBEAT_TTL, InpPingTimeoutSec * 1000);
   SetInt(s, ZMQ_CONNECT_TIMEOUT, InpPingTimeoutSec * 1000);
   if(InpServerKey != "")
     {
      uchar key[];
      StringToCharArray(InpServerKey, key, 0, 40);
      zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, key, 40);
      zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, g_curvePublic, 40);
      zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, g_curveSecret, 40);
     }
   uchar endpoint[];
   StringToCharArray(StringFormat("tcp://%s:%d", host, port), endpoint); // NUL-terminated, as zmq_connect wants
   if(zmq_connect(s, endpoint) != 0) { PrintFormat("BITTEN: connect to port %d failed, errno %d", port, zmq_errno()); zmq_close(s); return 0; }
   return s;
  }
// Never blocks the terminal: a full queue (server away for long) drops the frame; a lost confirmation is recovered
// because the server sends the fire again on HELLO and gets the stored answer.
bool Send(const long socket, const string json)
  {
   uchar b[];
   int n = StringToCharArray(json, b, 0, WHOLE_ARRAY, CP_UTF8) - 1;
   return zmq_send(socket, b, n, ZMQ_DONTWAIT) == n;
  }

//--- time --------------------------------------------------------------------------------------------------------
// The broker's offset from UTC, in whole quarter hours (every real zone is): server times minus it are UTC.
void UpdateOffset() { g_offsetSec = (int)(MathRound((double)(TimeTradeServer() - TimeGMT()) / 900.0) * 900); }
long NowMs() { return (long)(TimeTradeServer() - g_offsetSec) * 1000; }

//--- account and positions ---------------------------------------------------------------------------------------
string AccountFields()
  {
   return JNum("balance", AccountInfoDouble(ACCOUNT_BALANCE), 2) + JNum("equity", AccountInfoDouble(ACCOUNT_EQUITY), 2)
        + JNum("margin", AccountInfoDouble(ACCOUNT_MARGIN), 2) + JNum("free_margin", AccountInfoDouble(ACCOUNT_MARGIN_FREE), 2)
        + JNum("margin_level", AccountInfoDouble(ACCOUNT_MARGIN_LEVEL), 2) + JStr("currency", AccountInfoString(ACCOUNT_CURRENCY))
        + JInt("leverage", AccountInfoInteger(ACCOUNT_LEVERAGE)) + JStr("account_login", IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN)))
        + JStr("broker", AccountInfoString(ACCOUNT_SERVER));
  }
string PositionsJson()
  {
   string items = "";
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      ulong ticket = PositionGetTicket(i);
      if(ticket == 0 || (ulong)PositionGetInteger(POSITION_MAGIC) != InpMagic) continue;
      string symbol = PositionGetString(POSITION_SYMBOL);
      int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
      string comment = PositionGetString(POSITION_COMMENT); // our fire id, when we opened it
      string o = "{" + JInt("ticket", (long)ticket) + (comment != "" ? JStr("fire_id", comment) : "") + JStr("symbol", symbol)
               + JStr("direction", PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY ? "BUY" : "SELL")
               + JNum("volume", PositionGetDouble(POSITION_VOLUME), 8) + JNum("open_price", PositionGetDouble(POSITION_PRICE_OPEN), digits)
               + JNum("sl", PositionGetDouble(POSITION_SL), digits) + JNum("tp", PositionGetDouble(POSITION_TP), digits)
               + JNum("profit", PositionGetDouble(POSITION_PROFIT) + PositionGetDouble(POSITION_SWAP), 2);
      items += JEnd(o) + ",";
     }
   return JArr("positions", items);
  }
string SymbolSpecsJson()
  {
   string items = "";
   for(int i = 0; i < ArraySize(g_symbols); i++)
     {
      string s = g_symbols[i];
      string o = "{" + JStr("symbol", s) + JInt("digits", SymbolInfoInteger(s, SYMBOL_DIGITS)) + JNum("point", SymbolInfoDouble(s, SYMBOL_POINT), 10)
               + JNum("tick_value", SymbolInfoDouble(s, SYMBOL_TRADE_TICK_VALUE), 8) + JNum("tick_size", SymbolInfoDouble(s, SYMBOL_TRADE_TICK_SIZE), 10)
               + JNum("volume_min", SymbolInfoDouble(s, SYMBOL_VOLUME_MIN), 8) + JNum("volume_step", SymbolInfoDouble(s, SYMBOL_VOLUME_STEP), 8)
               + JNum("volume_max", SymbolInfoDouble(s, SYMBOL_VOLUME_MAX), 8) + JInt("stops_level", SymbolInfoInteger(s, SYMBOL_TRADE_STOPS_LEVEL));
      items += JEnd(o) + ",";
     }
   return JArr("symbols", items);
  }
string RecentFireIdsJson()
  {
   string items = "";
   int taken = 0;
   for(int i = g_fireCount - 1; i >= 0 && taken < RECENT_FIRE_IDS; i--)
     {
      string f[];
      if(StringSplit(g_fireLines[i], '\t', f) >= 2 && f[1] == "success") { items = "\"" + JEsc(g_fireIds[i]) + "\"," + items; taken++; }
     }
   return JArr("recent_fire_ids", items);
  }
string SymbolList()
  {
   string list = "";
   for(int i = 0; i < ArraySize(g_symbols); i++) list += (i > 0 ? "," : "") + g_symbols[i];
   return list;
  }

//--- messages: one function per message type ---------------------------------------------------------------------
void SendTick(const string symbol, const MqlTick &tick)
  {
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   string m = JBegin("TICK") + JStr("user_uuid", InpUuid) + JStr("node_id", g_nodeId) + JStr("symbol", symbol)
            + JNum("bid", tick.bid, digits) + JNum("ask", tick.ask, digits)
            + JNum("spread", point > 0 ? (tick.ask - tick.bid) / point : 0.0, 1) + JInt("volume", (long)tick.volume)
            + JInt("timestamp", tick.time_msc - (long)g_offsetSec * 1000); // time_msc is server time; this is UTC ms
   if(Send(g_market, JEnd(m))) g_ticksSent++;
  }
void SendBar(const string symbol, const MqlRates &bar)
  {
   int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   string m = JBegin("OHLC") + JStr("user_uuid", InpUuid) + JStr("node_id", g_nodeId) + JStr("symbol", symbol) + JStr("timeframe", "M5")
            + JInt("time", (long)bar.time - g_offsetSec) + JNum("open", bar.open, digits) + JNum("high", bar.high, digits)
            + JNum("low", bar.low, digits) + JNum("close", bar.close, digits) + JInt("tick_volume", bar.tick_volume);
   Send(g_market, JEnd(m));
  }
void SendHandshake()
  {
   string m = JBegin("handshake") + JStr("deployment_mode", "universal_dealer") + JStr("user_uuid", InpUuid) + JStr("node_id", g_nodeId)
            + AccountFields() + JInt("utc_offset_seconds", g_offsetSec) + JInt("monitored_symbols", ArraySize(g_symbols))
            + JStr("symbol_list", SymbolList()) + JStr("version", EA_VERSION) + JStr("socket_type", "DEALER") + JInt("timestamp", NowMs());
   Send(g_market, JEnd(m));
  }
void SendTelemetry()
  {
   string m = JBegin("heartbeat") + JStr("user_uuid", InpUuid) + JStr("node_id", g_nodeId) + AccountFields()
            + JInt("symbols_monitored", ArraySize(g_symbols)) + JInt("ticks_processed", g_ticksSent) + JStr("socket_type", "DEALER")
            + JInt("timestamp", NowMs());
   Send(g_market, JEnd(m));
  }
void SendDisconnect()
  {
   string m = JBegin("DISCONNECT") + JStr("deployment_mode", "universal_dealer") + JStr("user_uuid", InpUuid) + JStr("node_id", g_nodeId)
            + JInt("symbols_monitored", ArraySize(g_symbols)) + JInt("ticks_processed", g_ticksSent) + JInt("timestamp", NowMs());
   Send(g_market, JEnd(m));
  }
bool SendHello()
  {
   string m = JBegin("HELLO") + JStr("target_uuid", InpUuid) + JStr("node_id", g_nodeId) + AccountFields() + JStr("version", EA_VERSION);
   if(InpPairingCode != "") m += JStr("pairing_code", InpPairingCode);
   m += PositionsJson() + SymbolSpecsJson() + RecentFireIdsJson() + JInt("timestamp", NowMs());
   return Send(g_dealer, JEnd(m));
  }
void SendHeartbeat()
  {
   string m = JBegin("HEARTBEAT") + JStr("target_uuid", InpUuid) + JStr("node_id", g_nodeId) + AccountFields()
            + JInt("ticks_processed", g_ticksSent) + PositionsJson() + RecentFireIdsJson() + JInt("timestamp", NowMs());
   Send(g_dealer, JEnd(m)); // one try, as the simulated EA: the next one is fresh
  }
// Success and failure alike (the v2.05 seed-001 format); command_type says which command it answers.
void SendConfirmation(const string commandType, const string fireId, const string status, const long ticket, const double price,
                      const double lot, const string message)
  {
   string m = JBegin("confirmation") + JStr("command_type", commandType) + JStr("fire_id", fireId) + JStr("user_uuid", InpUuid)
            + JStr("node_id", g_nodeId) + JStr("status", status) + JInt("ticket", ticket) + JNum("price", price, 8)
            + JNum("lot", lot, 8) + JStr("message", message) + AccountFields() + JInt("timestamp", NowMs());
   Send(g_confirm, JEnd(m));
  }
void SendCloseConfirmation(const string fireId, const long ticket, const double closePrice, const double profit, const string message)
  {
   string m = JBegin("close_confirmation");
   if(fireId != "") m += JStr("fire_id", fireId);
   m += JStr("user_uuid", InpUuid) + JStr("node_id", g_nodeId) + JStr("status", "success") + JInt("ticket", ticket)
      + JNum("close_price", closePrice, 8) + JNum("profit", profit, 2) + JStr("message", message) + AccountFields() + JInt("timestamp", NowMs());
   Send(g_confirm, JEnd(m));
  }
void SendPong(const string pingId)
  {
   string m = JBegin("pong") + JStr("ping_id", pingId) + JStr("user_uuid", InpUuid) + JStr("node_id", g_nodeId) + JInt("timestamp", NowMs());
   Send(g_confirm, JEnd(m));
  }

//--- the fire journal: every answered fire_id, kept across terminal restarts in MQL5\Files -------------------------
// One line per fire: fire_id \t status \t ticket \t price \t lot \t message.
void RememberFire(const string fireId, const string line)
  {
   if(g_fireCount >= MAX_KEPT_FIRES)
     {
      ArrayRemove(g_fireIds, 0, MAX_KEPT_FIRES / 2); ArrayRemove(g_fireLines, 0, MAX_KEPT_FIRES / 2);
      g_fireCount = ArraySize(g_fireIds);
     }
   ArrayResize(g_fireIds, g_fireCount + 1, 1024); ArrayResize(g_fireLines, g_fireCount + 1, 1024);
   g_fireIds[g_fireCount] = fireId; g_fireLines[g_fireCount] = line; g_fireCount++;
  }
void LoadFires()
  {
   int h = FileOpen(g_firesFile, FILE_READ | FILE_TXT | FILE_ANSI | FILE_SHARE_READ);
   if(h == INVALID_HANDLE) return; // first start: no file yet
   while(!FileIsEnding(h))
     {
      string line = FileReadString(h);
      string f[];
      if(StringSplit(line, '\t', f) >= 6) RememberFire(f[0], line);
     }
   FileClose(h);
  }
int FindFire(const string fireId)
  {
   for(int i = g_fireCount - 1; i >= 0; i--) if(g_fireIds[i] == fireId) return i;
   return -1;
  }
// Records the answer, then sends it: a fire is answered the same way however often it comes.
void AnswerFire(const string fireId, const string status, const long ticket, const double price, const double lot, string message)
  {
   StringReplace(message, "\t", " "); StringReplace(message, "\n", " ");
   string line = fireId + "\t" + status + "\t" + IntegerToString(ticket) + "\t" + DoubleToString(price, 8) + "\t" + DoubleToString(lot, 8) + "\t" + message;
   int h = FileOpen(g_firesFile, FILE_READ | FILE_WRITE | FILE_TXT | FILE_ANSI | FILE_SHARE_READ);
   if(h != INVALID_HANDLE) { FileSeek(h, 0, SEEK_END); FileWriteString(h, line + "\n"); FileFlush(h); FileClose(h); }
   else PrintFormat("BITTEN: cannot write %s (error %d); fire %s is kept in memory only", g_firesFile, GetLastError(), fireId);
   RememberFire(fireId, line);
   SendConfirmation("fire", fireId, status, ticket, price, lot, message);
  }
void Refuse(const string fireId, const string message)
  {
   PrintFormat("BITTEN: fire %s refused: %s", fireId, message);
   AnswerFire(fireId, "failed", 0, 0, 0, message);
  }
// A position or deal carrying fireId as its comment: an order sent before a crash that the journal missed.
bool FindExecuted(const string fireId, long &ticket, double &price, double &lot)
  {
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      ulong t = PositionGetTicket(i);
      if(t != 0 && (ulong)PositionGetInteger(POSITION_MAGIC) == InpMagic && PositionGetString(POSITION_COMMENT) == fireId)
        { ticket = (long)t; price = PositionGetDouble(POSITION_PRICE_OPEN); lot = PositionGetDouble(POSITION_VOLUME); return true; }
     }
   if(!HistorySelect(TimeCurrent() - 14 * 86400, TimeCurrent() + 86400)) return false;
   for(int i = HistoryDealsTotal() - 1; i >= 0; i--)
     {
      ulong d = HistoryDealGetTicket(i);
      if((ulong)HistoryDealGetInteger(d, DEAL_MAGIC) == InpMagic && HistoryDealGetInteger(d, DEAL_ENTRY) == DEAL_ENTRY_IN
         && HistoryDealGetString(d, DEAL_COMMENT) == fireId)
        { ticket = HistoryDealGetInteger(d, DEAL_POSITION_ID); price = HistoryDealGetDouble(d, DEAL_PRICE); lot = HistoryDealGetDouble(d, DEAL_VOLUME); return true; }
     }
   return false;
  }

//--- commands ----------------------------------------------------------------------------------------------------
void HandleFire(const string cmd)
  {
   string fireId = "", symbol = "", direction = "";
   double entry = 0, sl = 0, tp = 0, lot = 0;
   if(!JGetStr(cmd, "fire_id", fireId) || fireId == "") { SendConfirmation("fire", "", "failed", 0, 0, 0, "missing fire_id"); return; }
   int seen = FindFire(fireId);
   if(seen >= 0)
     {
      // The same answer again, never a second order (the confirmation was lost, or the server re-sent on HELLO).
      string f[];
      StringSplit(g_fireLines[seen], '\t', f);
      SendConfirmation("fire", fireId, f[1], StringToInteger(f[2]), StringToDouble(f[3]), StringToDouble(f[4]), ArraySize(f) > 5 ? f[5] : "");
      return;
     }
   long ticket = 0;
   double price = 0, filled = 0;
   if(FindExecuted(fireId, ticket, price, filled)) { AnswerFire(fireId, "success", ticket, price, filled, "filled (found after restart)"); return; }
   if(!JGetStr(cmd, "symbol", symbol) || symbol == "") { Refuse(fireId, "missing symbol"); return; }
   if(!JGetStr(cmd, "direction", direction) || (direction != "BUY" && direction != "SELL")) { Refuse(fireId, "direction must be BUY or SELL"); return; }
   string raw = "";
   bool quoted = false;
   if(JFind(cmd, "entry", raw, quoted) && (!JGetNum(cmd, "entry", entry) || entry != 0)) { Refuse(fireId, "entry must be 0 (market orders only)"); return; }
   if(!JGetNum(cmd, "sl", sl) || sl < 0) { Refuse(fireId, "sl must be a non-negative number"); return; }
   if(!JGetNum(cmd, "tp", tp) || tp < 0) { Refuse(fireId, "tp must be a non-negative number"); return; }
   if(!JGetNum(cmd, "lot", lot) || lot <= 0) { Refuse(fireId, "lot must be a positive number"); return; }
   if(!SymbolSelect(symbol, true)) { Refuse(fireId, "unknown symbol " + symbol); return; }
   if(!TerminalInfoInteger(TERMINAL_TRADE_ALLOWED) || !MQLInfoInteger(MQL_TRADE_ALLOWED)) { Refuse(fireId, "algo trading is disabled in the terminal"); return; }
   MqlTick tick;
   if(!SymbolInfoTick(symbol, tick) || tick.bid <= 0 || tick.ask <= 0) { Refuse(fireId, "no price for " + symbol); return; }

   // Volume: down to the step, clamped to the maximum, refused below the minimum (never rounded up into more risk).
   double step = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP), vmin = SymbolInfoDouble(symbol, SYMBOL_VOLUME_MIN), vmax = SymbolInfoDouble(symbol, SYMBOL_VOLUME_MAX);
   if(step <= 0) step = vmin > 0 ? vmin : 0.01;
   double volume = MathFloor(MathMin(lot, vmax) / step + 1e-9) * step;
   volume = NormalizeDouble(volume, 8);
   if(volume < vmin - 1e-9) { Refuse(fireId, StringFormat("lot %.8g is below the minimum volume %.8g of %s", lot, vmin, symbol)); return; }

   // Stops: on the right side of the price and outside the stops level, or refused. Never zeroed (that opened
   // trades without a stop in v2.05). BUY closes on the bid, SELL on the ask: MT5 measures the level from those.
   int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   double gap = (double)SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL) * point;
   bool buy = direction == "BUY";
   double ref = buy ? tick.bid : tick.ask;
   sl = NormalizeDouble(sl, digits); tp = NormalizeDouble(tp, digits);
   double slack = point / 2; // prices are normalised to the digits: exactly at the level is allowed
   if(sl > 0 && (buy ? (sl >= ref || ref - sl < gap - slack) : (sl <= ref || sl - ref < gap - slack)))
     { Refuse(fireId, StringFormat("sl %s is on the wrong side of %s %s or inside its stops level", DoubleToString(sl, digits), symbol, DoubleToString(ref, digits))); return; }
   if(tp > 0 && (buy ? (tp <= ref || tp - ref < gap - slack) : (tp >= ref || ref - tp < gap - slack)))
     { Refuse(fireId, StringFormat("tp %s is on the wrong side of %s %s or inside its stops level", DoubleToString(tp, digits), symbol, DoubleToString(ref, digits))); return; }

   g_trade.SetExpertMagicNumber(InpMagic);
   g_trade.SetDeviationInPoints(InpDeviationPoints);
   g_trade.SetTypeFillingBySymbol(symbol);
   bool sent = buy ? g_trade.Buy(volume, symbol, 0, sl, tp, fireId) : g_trade.Sell(volume, symbol, 0, sl, tp, fireId);
   uint code = g_trade.ResultRetcode();
   if(!sent || (code != TRADE_RETCODE_DONE && code != TRADE_RETCODE_DONE_PARTIAL))
     { Refuse(fireId, StringFormat("order refused: %u %s", code, g_trade.ResultRetcodeDescription())); return; }
   ticket = (long)g_trade.ResultOrder(); // a position's ticket is the ticket of the order that opened it
   price = g_trade.ResultPrice();
   if(price <= 0 && PositionSelectByTicket((ulong)ticket)) price = PositionGetDouble(POSITION_PRICE_OPEN);
   AnswerFire(fireId, "success", ticket, price, g_trade.ResultVolume() > 0 ? g_trade.ResultVolume() : volume, "filled");
  }
// Closes one of our positions at market and says so; false (with why) when it cannot.
bool ClosePosition(const ulong ticket, const string reason, string &why)
  {
   if(!PositionSelectByTicket(ticket) || (ulong)PositionGetInteger(POSITION_MAGIC) != InpMagic) { why = "unknown ticket " + IntegerToString((long)ticket); return false; }
   string fireId = PositionGetString(POSITION_COMMENT);
   double profit = PositionGetDouble(POSITION_PROFIT) + PositionGetDouble(POSITION_SWAP);
   g_trade.SetExpertMagicNumber(InpMagic);
   g_trade.SetDeviationInPoints(InpDeviationPoints);
   if(!g_trade.PositionClose(ticket) || g_trade.ResultRetcode() != TRADE_RETCODE_DONE)
     { why = StringFormat("close refused: %u %s", g_trade.ResultRetcode(), g_trade.ResultRetcodeDescription()); return false; }
   double closePrice = g_trade.ResultPrice();
   ulong deal = g_trade.ResultDeal();
   if(deal > 0 && HistoryDealSelect(deal))
     {
      closePrice = HistoryDealGetDouble(deal, DEAL_PRICE);
      profit = HistoryDealGetDouble(deal, DEAL_PROFIT) + HistoryDealGetDouble(deal, DEAL_SWAP) + HistoryDealGetDouble(deal, DEAL_COMMISSION);
     }
   SendCloseConfirmation(fireId, (long)ticket, closePrice, profit, reason);
   return true;
  }
void HandleCloseTicket(const string cmd)
  {
   string fireId = "", why = "";
   double ticket = 0;
   JGetStr(cmd, "fire_id", fireId); // optional
   if(!JGetNum(cmd, "ticket", ticket) || ticket <= 0) { SendConfirmation("close_ticket", fireId, "failed", 0, 0, 0, "ticket must be a positive integer"); return; }
   if(!ClosePosition((ulong)ticket, "close_ticket", why)) SendConfirmation("close_ticket", fireId, "failed", (long)ticket, 0, 0, why);
  }
void HandleCloseAll(const string cmd)
  {
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      ulong ticket = PositionGetTicket(i);
      string why = "";
      if(ticket == 0 || (ulong)PositionGetInteger(POSITION_MAGIC) != InpMagic) continue;
      if(!ClosePosition(ticket, "close_all", why)) SendConfirmation("close_all", "", "failed", (long)ticket, 0, 0, why);
     }
  }
void HandlePing(const string cmd)
  {
   string pingId = "";
   if(JGetStr(cmd, "ping_id", pingId) && pingId != "") SendPong(pingId);
  }
void Dispatch(const string cmd)
  {
   string type = "", target = "", fireId = "";
   if(!JGetStr(cmd, "type", type)) { SendConfirmation("unknown", "", "failed", 0, 0, 0, "missing type"); return; }
   // A command for another UUID is ignored, as v2.05 does (a ping may carry none).
   bool addressed = JGetStr(cmd, "target_uuid", target);
   if(addressed && target != InpUuid) return;
   if(!addressed && type != "ping") { JGetStr(cmd, "fire_id", fireId); SendConfirmation(type, fireId, "failed", 0, 0, 0, "missing target_uuid"); return; }
   if(type == "fire") HandleFire(cmd);
   else if(type == "close_ticket") HandleCloseTicket(cmd);
   else if(type == "close_all") HandleCloseAll(cmd);
   else if(type == "ping") HandlePing(cmd);
   else { JGetStr(cmd, "fire_id", fireId); SendConfirmation(type, fireId, "failed", 0, 0, 0, "unknown command type '" + type + "'"); }
  }

//--- market data -------------------------------------------------------------------------------------------------
void LoadSymbols()
  {
   int n = SymbolsTotal(true);
   string old[]; long oldMsc[]; datetime oldBar[];
   ArrayCopy(old, g_symbols); ArrayCopy(oldMsc, g_lastTickMsc); ArrayCopy(oldBar, g_lastBar);
   ArrayResize(g_symbols, n); ArrayResize(g_lastTickMsc, n); ArrayResize(g_lastBar, n);
   for(int i = 0; i < n; i++)
     {
      g_symbols[i] = SymbolName(i, true);
      g_lastTickMsc[i] = 0; g_lastBar[i] = 0;
      for(int j = 0; j < ArraySize(old); j++)
         if(old[j] == g_symbols[i]) { g_lastTickMsc[i] = oldMsc[j]; g_lastBar[i] = oldBar[j]; break; }
     }
  }
void PollTicks()
  {
   MqlTick tick;
   for(int i = 0; i < ArraySize(g_symbols); i++)
      if(SymbolInfoTick(g_symbols[i], tick) && tick.time_msc != g_lastTickMsc[i] && tick.bid > 0 && tick.ask > 0)
        { g_lastTickMsc[i] = tick.time_msc; SendTick(g_symbols[i], tick); }
  }
// The history on the first look (the chart may still be loading: then the next second tries again), then each
// M5 bar as it closes — every bar after the last one sent, so a busy second loses none.
void PollBars()
  {
   for(int i = 0; i < ArraySize(g_symbols); i++)
     {
      datetime closed = iTime(g_symbols[i], PERIOD_M5, 1);
      if(closed == 0 || closed <= g_lastBar[i]) continue;
      MqlRates rates[];
      int n = g_lastBar[i] == 0 ? CopyRates(g_symbols[i], PERIOD_M5, 1, InpHistoryBars, rates)
                                : CopyRates(g_symbols[i], PERIOD_M5, g_lastBar[i] + 300, closed, rates);
      if(n <= 0) continue;
      for(int k = 0; k < n; k++) SendBar(g_symbols[i], rates[k]); // oldest first
      g_lastBar[i] = rates[n - 1].time;
     }
  }
void PollCommands()
  {
   for(int k = 0; k < 100; k++)
     {
      int n = zmq_recv(g_dealer, g_recv, RECV_BYTES, ZMQ_DONTWAIT);
      if(n < 0) return; // EAGAIN: nothing waiting
      if(n > RECV_BYTES) { Print("BITTEN: a command larger than 64 KiB was dropped"); continue; }
      Dispatch(CharArrayToString(g_recv, 0, n, CP_UTF8));
     }
  }

//--- events ------------------------------------------------------------------------------------------------------
int OnInit()
  {
   if(StringLen(InpUuid) < 1 || StringLen(InpUuid) > 64) { Print("BITTEN: set InpUuid (1-64 characters)"); return INIT_PARAMETERS_INCORRECT; }
   if(InpTimerMs < 1 || InpTimerMs > 50) { Print("BITTEN: InpTimerMs must be 1-50"); return INIT_PARAMETERS_INCORRECT; }
   if(InpPingSec < 1 || InpPingTimeoutSec <= InpPingSec) { Print("BITTEN: InpPingSec must be at least 1 and InpPingTimeoutSec longer"); return INIT_PARAMETERS_INCORRECT; }
   if(InpServerKey != "" && StringLen(InpServerKey) != 40) { Print("BITTEN: InpServerKey must be the server's 40-character Z85 public key"); return INIT_PARAMETERS_INCORRECT; }
   if(!MQLInfoInteger(MQL_DLLS_ALLOWED)) { Print("BITTEN: enable 'Allow DLL imports' for this EA"); return INIT_FAILED; }
   // A change of chart symbol or timeframe calls OnDeinit and OnInit without reloading: start from nothing.
   g_fireCount = 0; ArrayResize(g_fireIds, 0); ArrayResize(g_fireLines, 0); ArrayResize(g_symbols, 0);
   g_nodeId = "NODE_" + IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN));
   g_firesFile = "BITTEN_fires_" + InpUuid + ".txt";
   LoadFires();
   UpdateOffset();
   LoadSymbols();
   ArrayResize(g_recv, RECV_BYTES);
   g_ctx = zmq_ctx_new();
   if(g_ctx == 0) { Print("BITTEN: zmq_ctx_new failed: is libzmq.dll (x64) in MQL5\\Libraries?"); return INIT_FAILED; }
   if(InpServerKey != "" && zmq_curve_keypair(g_curvePublic, g_curveSecret) != 0)
     { PrintFormat("BITTEN: zmq_curve_keypair failed (errno %d): this libzmq.dll has no CURVE", zmq_errno()); return INIT_FAILED; }
   g_market = OpenSocket(ZMQ_PUSH, InpMarketHost != "" ? InpMarketHost : InpHost, InpMarketPort, 100000, ""); // room for the history burst
   g_dealer = OpenSocket(ZMQ_DEALER, InpHost, InpCommandPort, 1000, InpUuid);
   g_confirm = OpenSocket(ZMQ_PUSH, InpHost, InpConfirmPort, 10000, "");
   if(g_market == 0 || g_dealer == 0 || g_confirm == 0) return INIT_FAILED;
   if(!TerminalInfoInteger(TERMINAL_TRADE_ALLOWED)) Print("BITTEN: algo trading is off; fires will be refused until it is on");
   SendHandshake();
   g_helloSent = SendHello();
   g_lastHeartbeat = GetTickCount64();
   EventSetMillisecondTimer(InpTimerMs);
   PrintFormat("BITTEN: %s connecting to %s (%d symbols, %d fires remembered, CURVE %s)", InpUuid, InpHost, ArraySize(g_symbols), g_fireCount,
               InpServerKey != "" ? "on" : "off");
   return INIT_SUCCEEDED;
  }
void OnDeinit(const int reason)
  {
   EventKillTimer();
   if(g_market != 0) SendDisconnect();
   if(g_market != 0) zmq_close(g_market);
   if(g_dealer != 0) zmq_close(g_dealer);
   if(g_confirm != 0) zmq_close(g_confirm);
   if(g_ctx != 0) zmq_ctx_term(g_ctx); // waits at most the sockets' 500 ms linger
   g_market = g_dealer = g_confirm = g_ctx = 0;
  }
// Commands and quotes are polled here, every InpTimerMs, not on chart ticks (v2.05 waited for the chart symbol).
void OnTimer()
  {
   // HELLO waits for the connection (ZMQ_IMMEDIATE): until it goes out it is tried again.
   if(!g_helloSent) g_helloSent = SendHello();
   PollCommands();
   PollTicks();
   ulong now = GetTickCount64();
   if(now - g_lastBarCheck >= 1000) { g_lastBarCheck = now; PollBars(); }
   if(now - g_lastHeartbeat >= (ulong)InpHeartbeatSec * 1000)
     {
      g_lastHeartbeat = now;
      UpdateOffset();
      if(SymbolsTotal(true) != ArraySize(g_symbols)) LoadSymbols();
      SendHeartbeat();
      SendTelemetry();
     }
  }
void OnTick() { }
// A position of ours closed by the broker (SL, TP, stop-out) or by hand: said at once, not left to the heartbeat.
void OnTradeTransaction(const MqlTradeTransaction &trans, const MqlTradeRequest &request, const MqlTradeResult &result)
  {
   if(trans.type != TRADE_TRANSACTION_DEAL_ADD || !HistoryDealSelect(trans.deal)) return;
   if(HistoryDealGetInteger(trans.deal, DEAL_ENTRY) != DEAL_ENTRY_OUT) return;
   long reason = HistoryDealGetInteger(trans.deal, DEAL_REASON);
   if(reason == DEAL_REASON_EXPERT) return; // our own close_ticket/close_all: already answered
   long position = HistoryDealGetInteger(trans.deal, DEAL_POSITION_ID);
   if(PositionSelectByTicket((ulong)position)) return; // a partial close: the position is still open
   double closePrice = HistoryDealGetDouble(trans.deal, DEAL_PRICE);
   double profit = HistoryDealGetDouble(trans.deal, DEAL_PROFIT) + HistoryDealGetDouble(trans.deal, DEAL_SWAP) + HistoryDealGetDouble(trans.deal, DEAL_COMMISSION);
   if(!HistorySelectByPosition(position)) return;
   for(int i = 0; i < HistoryDealsTotal(); i++)
     {
      ulong d = HistoryDealGetTicket(i);
      if(HistoryDealGetInteger(d, DEAL_ENTRY) == DEAL_ENTRY_IN && (ulong)HistoryDealGetInteger(d, DEAL_MAGIC) == InpMagic)
        {
         string why = reason == DEAL_REASON_SL ? "sl" : reason == DEAL_REASON_TP ? "tp" : reason == DEAL_REASON_SO ? "stop_out" : "closed_outside_ea";
         SendCloseConfirmation(HistoryDealGetString(d, DEAL_COMMENT), position, closePrice, profit, why);
         return;
        }
     }
  }
//+------------------------------------------------------------------+
