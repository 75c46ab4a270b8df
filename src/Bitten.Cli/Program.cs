using Bitten.Cli;

return await BittenCli.RunAsync(args);
