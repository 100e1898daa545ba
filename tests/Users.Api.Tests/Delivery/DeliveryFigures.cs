using System.Text.Json.Nodes;

namespace Users.Api.Tests.Delivery;

/// <summary>What a subscriber saw: deliveries on the wire, distinct events (by event_id), duplicates.</summary>
public sealed record DeliveryFigures(int Delivered, int Distinct)
{
    public int Duplicates => Delivered - Distinct;

    public static DeliveryFigures Of(IEnumerable<(string Type, JsonObject Message)> messages)
    {
        var list = messages.ToList();
        return new DeliveryFigures(list.Count, list.Select(m => m.Message["event_id"]!.GetValue<Guid>()).Distinct().Count());
    }

    public override string ToString() => $"delivered {Delivered}, distinct {Distinct}, duplicates {Duplicates}";

    /// <summary>Whether versions arrived in ascending order (repeats allowed).</summary>
    public static bool IsAscending(IEnumerable<long> versions)
    {
        long last = 0;
        foreach (var v in versions)
        {
            if (v < last)
                return false;
            last = v;
        }
        return true;
    }
}
