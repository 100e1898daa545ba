using PhoneNumbers;

namespace Users.Domain.Rules;

public static class PhoneNumber
{
    /// <summary>The shape <see cref="IsE164"/> demands before asking libphonenumber: "+", no leading 0, 7 to 15 digits.</summary>
    public const string E164Shape = @"^\+[1-9][0-9]{6,14}$";

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// E.164 as written ("+" then up to 15 digits, no spaces) and a number libphonenumber knows to be
    /// valid for its country, so "+1 415…" or "+999…" are refused rather than stored.
    /// </summary>
    public static bool IsE164(string? value)
    {
        if (value is not { Length: >= 8 and <= 16 } || value[0] != '+' || value[1] == '0' || !value.Skip(1).All(char.IsAsciiDigit))
            return false;
        try
        {
            var parsed = Util.Parse(value, null);
            return Util.IsValidNumber(parsed) && Util.Format(parsed, PhoneNumberFormat.E164) == value;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
