using Microsoft.Extensions.Options;

namespace Bitten.Host.Configuration;

/// <summary>A configuration value the host refuses, with every reason as a sentence (the CLI exits 2 with it).</summary>
public sealed class ConfigurationException(string message) : Exception(message)
{
    /// <summary>Runs <paramref name="validate"/> and turns the options framework's failures into one message.</summary>
    public static void Check(Action validate)
    {
        ArgumentNullException.ThrowIfNull(validate);
        try
        {
            validate();
        }
        catch (Exception e) when (From(e) is { } refused)
        {
            throw refused;
        }
    }

    /// <summary>The failures an options validation exception (or several, from ValidateOnStart) carries; null for anything else.</summary>
    public static ConfigurationException? From(Exception e) => e switch
    {
        ConfigurationException already => already,
        OptionsValidationException one => Describe(one.Failures),
        AggregateException many when many.InnerExceptions.All(x => x is OptionsValidationException) =>
            Describe(many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(x => x.Failures)),
        _ => null,
    };

    private static ConfigurationException Describe(IEnumerable<string> failures) =>
        new("invalid configuration:\n  " + string.Join("\n  ", failures));
}
