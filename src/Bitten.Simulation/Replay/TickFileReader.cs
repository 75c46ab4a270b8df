using System.Runtime.CompilerServices;
using System.Buffers;
using System.IO.Compression;

namespace Bitten.Simulation.Replay;

/// <summary>
/// One tick file read as a stream: the zip entry is inflated into a pooled buffer a block at a time and its lines
/// parsed into the caller's span, so a file of any size is read in the memory of the buffer. The ticks are the ones
/// <see cref="TickFile.Load(out int)"/> gives, in the same order; malformed lines are counted in <see cref="Skipped"/>.
/// A file that cannot be read (not a zip, a broken deflate stream, a CSV without the columns) throws
/// <see cref="InvalidDataException"/> or <see cref="IOException"/>, at the open or at the read that finds it.
/// </summary>
public sealed class TickFileReader : IDisposable
{
    private const int BufferBytes = 1 << 16;
    private readonly TickFile _file;
    private readonly ZipArchive? _zip;
    private readonly Stream _stream;
    private readonly long _midnightMs;
    private readonly long _offsetMs;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int _start;
    private int _end;
    private bool _eof;
    private (int Time, int Bid, int Ask) _columns = (-1, -1, -1);

    private TickFileReader(TickFile file)
    {
        _file = file;
        _offsetMs = (long)file.UtcOffset.TotalMilliseconds;
        try
        {
            if (file.Format == TickFileFormat.LeanZip)
            {
                _midnightMs = file.MidnightMs();
                _zip = ZipFile.OpenRead(file.Path);
                var entry = _zip.Entries.FirstOrDefault(e => e.Length > 0) ?? throw new InvalidDataException($"{file.Path}: empty zip");
                _stream = entry.Open();
            }
            else
            {
                _stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            }
        }
        catch
        {
            _zip?.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
            throw;
        }
    }

    /// <summary>Malformed lines passed over so far (an empty line is not one).</summary>
    public int Skipped { get; private set; }

    public static TickFileReader Open(TickFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new TickFileReader(file);
    }

    /// <summary>Fills <paramref name="ticks"/> with the file's next ticks; returns how many, 0 at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Read(Span<RecordedTick> ticks)
    {
        var count = 0;
        while (count < ticks.Length)
        {
            var rest = _buffer.AsSpan(_start, _end - _start);
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (_eof)
                {
                    if (rest.IsEmpty)
                    {
                        break;
                    }

                    newline = rest.Length; // the last line, without a newline
                }
                else
                {
                    Fill();
                    continue;
                }
            }

            var line = rest[..newline];
            _start += Math.Min(newline + 1, rest.Length);
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (Parse(line, out ticks[count]))
            {
                count++;
            }
        }

        return count;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _zip?.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Parse(ReadOnlySpan<byte> line, out RecordedTick tick)
    {
        tick = default;
        if (_file.Format == TickFileFormat.LeanZip)
        {
            if (TryReadNumbers(line, out var ms, out var bid, out var ask))
            {
                // Fractional ms (gold) are floored: a tick belongs to the millisecond it happened in.
                tick = new RecordedTick(_midnightMs + (long)Math.Floor(ms), bid, ask);
                return true;
            }

            if (!line.IsEmpty)
            {
                Skipped++;
            }

            return false;
        }

        if (line.IsEmpty)
        {
            return false;
        }

        if (_columns.Time < 0)
        {
            _columns = _file.ReadHeader(line);
            return false;
        }

        if (TickFile.TryReadCsvTick(line, _columns.Time, _columns.Bid, _columns.Ask, out tick))
        {
            tick = tick with { TimeMs = tick.TimeMs - _offsetMs };
            return true;
        }

        Skipped++;
        return false;
    }

    /// <summary>Moves the partial line to the front and reads more behind it; a line longer than the buffer grows it.</summary>
    private void Fill()
    {
        var rest = _end - _start;
        if (rest == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(_start, rest).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, rest).CopyTo(_buffer);
        }

        _start = 0;
        _end = rest;
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryReadNumbers(ReadOnlySpan<byte> line, out double first, out double second, out double third)
    {
        first = second = third = 0;
        if (!DecimalText.TryParse(line, out first, out var n) || n >= line.Length || line[n] != (byte)',')
        {
            return false;
        }

        line = line[(n + 1)..];
        if (!DecimalText.TryParse(line, out second, out n) || n >= line.Length || line[n] != (byte)',')
        {
            return false;
        }

        line = line[(n + 1)..];
        return DecimalText.TryParse(line, out third, out n) && (n == line.Length || line[n] == (byte)',');
    }
}
