using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Wire.Ea;

namespace Bitten.Simulation.Ea;

/// <summary>
/// The simulated EA's broker: fills fires at the last quote (plus slippage), keeps the positions, closes them on
/// their SL/TP as quotes arrive or on command, and keeps the balance. It executes each fire_id at most once, as
/// PRODUCT.md §3 requires of a real EA, so a server re-sending a fire after a lost confirmation gets the original
/// answer back instead of a second position. Thread-safe: the market thread feeds prices while the command
/// thread sends orders. Pure — no sockets, no clock — so every rule is testable on its own.
/// </summary>
public sealed class PaperBroker
{
    /// <summary>MT5 tickets are large numbers; starting at six digits keeps them looking like one.</summary>
    public const long FirstTicket = 100_001;

    private readonly Lock _gate = new();
    private readonly SimulatedEaOptions _options;
    private readonly Random _random;
    private readonly Dictionary<string, (double Bid, double Ask, long TimeMs)> _quotes = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Position> _positions = [];
    private readonly Dictionary<string, FireConfirmation> _answered = new(StringComparer.Ordinal);
    private readonly Queue<string> _recent = new();
    private readonly Queue<CloseConfirmation> _stopCloses = new();
    private long _nextTicket = FirstTicket;
    private decimal _balance;
    private long _fills;
    private long _rejects;
    private long _duplicates;
    private long _firesReceived;

    public PaperBroker(SimulatedEaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _balance = options.Balance;
        _random = new Random(options.Seed);
    }

    /// <summary>Fires that opened a position.</summary>
    public long Fills => Read(ref _fills);

    /// <summary>Fires answered "failed" the first time they came (no price, simulated reject, bad lot).</summary>
    public long Rejects => Read(ref _rejects);

    /// <summary>Fires whose fire_id had already been answered; each got the original confirmation again.</summary>
    public long Duplicates => Read(ref _duplicates);

    /// <summary>Every fire command, duplicates included.</summary>
    public long FiresReceived => Read(ref _firesReceived);

    /// <summary>Open positions in the order they were opened, with their floating profit at the last quotes.</summary>
    /// <summary>How many executed fire ids HELLO and HEARTBEAT report back.</summary>
    public const int RecentFireIdCount = 500;

    /// <summary>
    /// The fire ids executed most recently (oldest first): reported in HELLO and HEARTBEAT so a server that lost the
    /// confirmations in a crash does not send those fires again.
    /// </summary>
    public IReadOnlyList<string> RecentFireIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _recent];
            }
        }
    }

    public IReadOnlyList<EaPosition> Positions
    {
        get
        {
            lock (_gate)
            {
                return [.. _positions.Select(p => new EaPosition(p.Ticket, p.FireId, p.Symbol, p.Direction.WireName(), p.Lot,
                    p.OpenPrice, p.StopLoss, p.TakeProfit, Floating(p)))];
            }
        }
    }

    /// <summary>Balance, and equity = balance + floating profit at the last quotes; login is the EA's UUID.</summary>
    public AccountReport Account
    {
        get
        {
            lock (_gate)
            {
                return AccountLocked();
            }
        }
    }

    /// <summary>The last quote of <paramref name="symbol"/>, if one has come.</summary>
    public bool TryGetQuote(string symbol, out double bid, out double ask)
    {
        lock (_gate)
        {
            var found = _quotes.TryGetValue(symbol, out var quote);
            (bid, ask) = (quote.Bid, quote.Ask);
            return found;
        }
    }

    /// <summary>
    /// A new quote: remembered for fills, and every open position of the symbol is checked against it. A BUY exits
    /// on the bid, a SELL on the ask, at the quote itself (a gap through a stop fills beyond it, as in MT5). When
    /// one quote is through both SL and TP, the SL wins: the worse outcome is the honest guess.
    /// </summary>
    public void OnPrice(string symbol, double bid, double ask, long timeMs)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (!(double.IsFinite(bid) && double.IsFinite(ask) && bid > 0 && ask >= bid))
        {
            return; // the replay only sends checked ticks; a broken one must not close positions
        }

        lock (_gate)
        {
            _quotes[symbol] = (bid, ask, timeMs);
            for (var i = 0; i < _positions.Count; i++)
            {
                var p = _positions[i];
                if (!string.Equals(p.Symbol, symbol, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var exit = p.Direction == Direction.Buy ? bid : ask;
                var sign = p.Direction.Sign();
                var hitSl = p.StopLoss > 0 && (exit - p.StopLoss) * sign <= 0;
                var hitTp = p.TakeProfit > 0 && (exit - p.TakeProfit) * sign >= 0;
                if (hitSl || hitTp)
                {
                    _stopCloses.Enqueue(CloseLocked(i, exit, hitSl ? "sl" : "tp"));
                    i--;
                }
            }
        }
    }

    /// <summary>
    /// The confirmation to send for <paramref name="fire"/>. A fire_id seen before gets exactly the answer it got
    /// then (same ticket and price, or the same failure) and opens nothing. Stops are taken as sent, not checked
    /// against the price as MT5 would: one already crossed closes the position on the next quote.
    /// </summary>
    public FireConfirmation Execute(FireCommand fire, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(fire);
        lock (_gate)
        {
            _firesReceived++;
            if (_answered.TryGetValue(fire.FireId, out var original))
            {
                _duplicates++;
                return original;
            }

            var answer = Fill(fire, nowMs);
            _answered[fire.FireId] = answer;
            if (answer.Success)
            {
                _recent.Enqueue(fire.FireId);
                if (_recent.Count > RecentFireIdCount)
                {
                    _recent.Dequeue();
                }
            }

            return answer;
        }
    }

    /// <summary>
    /// Closes one position at the current quote: a <see cref="CloseConfirmation"/>, or for a ticket that is not
    /// open a failed <see cref="FireConfirmation"/> (the v2.05 refusal) saying so.
    /// </summary>
    public EaMessage Close(CloseTicketCommand command, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (_gate)
        {
            var index = _positions.FindIndex(p => p.Ticket == command.Ticket);
            if (index < 0)
            {
                return new FireConfirmation(command.FireId ?? "", _options.Uuid, false, 0, 0, 0m,
                    $"unknown ticket {command.Ticket}", AccountLocked(), nowMs);
            }

            var position = _positions[index];
            return CloseLocked(index, ExitPrice(position), "close_ticket");
        }
    }

    /// <summary>Closes every open position at the current quotes, oldest first; empty when none is open.</summary>
    public IReadOnlyList<CloseConfirmation> CloseAll()
    {
        lock (_gate)
        {
            var closed = new List<CloseConfirmation>(_positions.Count);
            while (_positions.Count > 0)
            {
                closed.Add(CloseLocked(0, ExitPrice(_positions[0]), "close_all"));
            }

            return closed;
        }
    }

    /// <summary>The next position closed by its SL or TP, for the thread that owns the confirmation socket to send.</summary>
    public bool TryTakeClose(out CloseConfirmation close)
    {
        lock (_gate)
        {
            return _stopCloses.TryDequeue(out close!);
        }
    }

    private FireConfirmation Fill(FireCommand fire, long nowMs)
    {
        if (!_quotes.TryGetValue(fire.Symbol, out var quote))
        {
            return Failed(fire, $"no price for {fire.Symbol}", nowMs);
        }

        if (fire.Lot <= 0)
        {
            return Failed(fire, "invalid lot", nowMs);
        }

        // Drawn for every fire that got this far, whatever the rate, so one seed gives one sequence of outcomes.
        if (_random.NextDouble() < _options.RejectRate)
        {
            return Failed(fire, "rejected (simulated)", nowMs);
        }

        var (digits, contract) = SpecOf(fire.Symbol);
        var slippage = _options.SlippagePoints * Math.Pow(10, -digits);
        var price = fire.Direction == Direction.Buy ? quote.Ask + slippage : quote.Bid - slippage;
        price = Math.Round(price, digits, MidpointRounding.AwayFromZero);
        var position = new Position(_nextTicket++, fire.FireId, fire.Symbol, fire.Direction, fire.Lot, price, fire.StopLoss, fire.TakeProfit, contract);
        _positions.Add(position);
        _fills++;
        return new FireConfirmation(fire.FireId, _options.Uuid, true, position.Ticket, price, fire.Lot, "filled (simulated)", AccountLocked(), nowMs);
    }

    private FireConfirmation Failed(FireCommand fire, string message, long nowMs)
    {
        _rejects++;
        return new FireConfirmation(fire.FireId, _options.Uuid, false, 0, 0, 0m, message, AccountLocked(), nowMs);
    }

    private CloseConfirmation CloseLocked(int index, double exit, string reason)
    {
        var position = _positions[index];
        _positions.RemoveAt(index);
        var profit = Profit(position, exit);
        _balance += profit;
        return new CloseConfirmation(position.FireId, _options.Uuid, position.Ticket, exit, profit, reason, AccountLocked());
    }

    private double ExitPrice(Position position)
    {
        var quote = _quotes[position.Symbol]; // a position exists only after a fill, and a fill needs a quote
        return position.Direction == Direction.Buy ? quote.Bid : quote.Ask;
    }

    private decimal Floating(Position position) => Profit(position, ExitPrice(position));

    /// <summary>
    /// (exit − open) × direction × lot × contract, to the cent. In the quote currency, which is the account's for
    /// every XXXUSD symbol; the simulation does not convert the others.
    /// </summary>
    private static decimal Profit(Position position, double exit) =>
        Math.Round(((decimal)exit - (decimal)position.OpenPrice) * position.Direction.Sign() * position.Lot * (decimal)position.Contract,
            2, MidpointRounding.AwayFromZero);

    private AccountReport AccountLocked()
    {
        var floating = 0m;
        var margin = 0m;
        foreach (var p in _positions)
        {
            floating += Floating(p);
            margin += Margin(p);
        }

        var equity = _balance + floating;
        var level = margin > 0 ? Math.Round(equity / margin * 100, 2) : 0m;
        return new AccountReport(_balance, equity, margin, equity - margin, level, _options.Currency, _options.Leverage, _options.Uuid, "BITTEN-SIM");
    }

    /// <summary>Notional in the account currency over leverage: exact for USDXXX and XXXUSD on a USD account.</summary>
    private decimal Margin(Position position)
    {
        if (_options.Leverage <= 0)
        {
            return 0m;
        }

        var units = position.Lot * (decimal)position.Contract;
        var baseIsAccount = SymbolCatalogue.Default.TryGet(position.Symbol, out var spec)
            && string.Equals(spec.BaseCurrency, _options.Currency, StringComparison.OrdinalIgnoreCase);
        var notional = baseIsAccount ? units : units * (decimal)position.OpenPrice;
        return Math.Round(notional / _options.Leverage, 2, MidpointRounding.AwayFromZero);
    }

    private static (int Digits, double Contract) SpecOf(string symbol) =>
        SymbolCatalogue.Default.TryGet(symbol, out var spec)
            ? (spec.Digits, spec.ContractSize)
            : (symbol.Contains("JPY", StringComparison.OrdinalIgnoreCase) ? 3 : 5, 100_000); // as SimulatedEa.PointOf assumes

    private long Read(ref long counter)
    {
        lock (_gate)
        {
            return counter;
        }
    }

    private sealed record Position(long Ticket, string FireId, string Symbol, Direction Direction, decimal Lot, double OpenPrice,
        double StopLoss, double TakeProfit, double Contract);
}
