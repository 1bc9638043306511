using Passport.Verifier;

var builder = WebApplication.CreateBuilder(args);
builder.AddVerifier();

var app = builder.Build();
app.MapVerifier();
app.Run();

public partial class Program;
