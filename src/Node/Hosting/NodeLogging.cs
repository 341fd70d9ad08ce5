using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>Sets up the node's console logging from its <see cref="LoggingConfig"/>.</summary>
public static class NodeLogging
{
    public static void Configure(ILoggingBuilder logging, LoggingConfig? config)
    {
        config ??= new LoggingConfig();
        logging.ClearProviders();
        if (config.Format == LoggingConfig.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        }
        // The framework's Information lines (every request, every connection) drown the node's own.
        logging.SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);
        // ASP.NET Core starts an Activity and a log scope for every request whenever this category logs at any
        // level; it only ever logs request lines, and a node takes one request per submitted transaction.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        foreach (var (category, level) in config.Levels())
        {
            // Added last, so an operator's level for a category wins over the defaults above.
            if (category == "Default")
            {
                logging.SetMinimumLevel(level);
            }
            else
            {
                logging.AddFilter(category, level);
            }
        }
    }
}
