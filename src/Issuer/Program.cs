using Passport.Issuer;

var builder = WebApplication.CreateBuilder(args);
builder.AddIssuer();

var app = builder.Build();
app.MapIssuer();
app.Run();

public partial class Program;
