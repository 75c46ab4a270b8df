namespace Bitten.Testing;

/// <summary>The checkout the tests run from: the folder holding Bitten.slnx, found by walking up from the test binaries.</summary>
public static class Checkout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The checkout's absolute path; throws when the binaries are not inside one.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The absolute path of <paramref name="relative"/> under the checkout (e.g. <c>ea/BITTEN_Bridge.mq5</c>).</summary>
    public static string Path(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Bitten.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Bitten.slnx above {AppContext.BaseDirectory}");
    }
}
