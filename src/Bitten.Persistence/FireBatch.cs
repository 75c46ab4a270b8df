using System.Text;

namespace Bitten.Persistence;

/// <summary>
/// A batch of new fires as one compact value (<c>fire_batches.fires</c>): a version byte, the count, then each fire's
/// fields in a fixed order, strings as UTF-8 with a length prefix. About a hundred bytes a fire, encoded and decoded
/// without reflection; the version byte lets a later layout read rows an older one wrote.
/// </summary>
public static class FireBatch
{
    // 2: the layout of 1, written after its fires claimed their missions in fire_locks (migration 0015), so filing it
    // need not claim them again; 1: written before the lock existed, its fires claimed when filed.
    private const byte Version = 2;
    private const byte Unclaimed = 1;

    /// <summary>Whether the batch's fires already hold their missions' locks (every batch this build writes).</summary>
    public static bool IsClaimed(byte[] data) => data is [Version, ..];

    public static byte[] Encode(IReadOnlyList<StoredFire> fires)
    {
        ArgumentNullException.ThrowIfNull(fires);
        using var buffer = new MemoryStream(64 + (fires.Count * 128));
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(fires.Count);
            foreach (var fire in fires)
            {
                writer.Write(fire.FireId);
                writer.Write(fire.UserId);
                writer.Write(fire.EaUuid);
                writer.Write(fire.MissionId);
                writer.Write(fire.SignalId);
                writer.Write(fire.Symbol);
                writer.Write(fire.Direction);
                writer.Write(fire.Lot);
                writer.Write(fire.StopLoss);
                writer.Write(fire.TakeProfit);
                writer.Write(fire.Status);
                writer.Write(fire.CreatedAtMs);
                writer.Write(fire.SentCount);
                writer.Write(fire.ExecutionMode ?? "");
            }
        }

        return buffer.ToArray();
    }

    /// <exception cref="InvalidDataException">Not a batch this code wrote (unknown version, cut short).</exception>
    public static List<StoredFire> Decode(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
            var version = reader.ReadByte();
            if (version is not (Version or Unclaimed))
            {
                throw new InvalidDataException($"fire batch version {version} is not one this build reads ({Unclaimed} or {Version})");
            }

            var count = reader.ReadInt32();
            var fires = new List<StoredFire>(count);
            for (var i = 0; i < count; i++)
            {
                var fireId = reader.ReadString();
                var userId = reader.ReadInt64();
                var eaUuid = reader.ReadString();
                var missionId = reader.ReadString();
                var signalId = reader.ReadString();
                var symbol = reader.ReadString();
                var direction = reader.ReadString();
                var lot = reader.ReadDecimal();
                var stopLoss = reader.ReadDouble();
                var takeProfit = reader.ReadDouble();
                var status = reader.ReadString();
                var created = reader.ReadInt64();
                var sent = reader.ReadInt32();
                var mode = reader.ReadString();
                fires.Add(new StoredFire(fireId, userId, eaUuid, missionId, signalId, symbol, direction, lot, stopLoss, takeProfit, status,
                    created, sent, null, null, null, mode.Length == 0 ? null : mode));
            }

            return fires;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("a fire batch cut short", e);
        }
    }
}
