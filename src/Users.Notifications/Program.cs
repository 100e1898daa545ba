namespace Users.Notifications;

// A named entry point (not top-level statements) so that tests referencing both the API and the worker
// see a single global Program: the API's.
public static class NotificationsProgram
{
    public static Task Main(string[] args) => WorkerHost.Build(args).RunAsync();
}
