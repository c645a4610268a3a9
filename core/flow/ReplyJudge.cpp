#include "core/flow/ReplyJudge.h"

#include "core/http/HttpMessage.h"

#include <QCoreApplication>

namespace keyway {

namespace {

bool isEmptyValue(const nlohmann::json& value)
{
    return value.is_null() || (value.is_string() && value.get<std::string>().empty())
        || ((value.is_object() || value.is_array()) && value.empty());
}

} // namespace

std::optional<nlohmann::json> ReplyJudge::parseJson(const QByteArray& body)
{
    if (body.isEmpty()) {
        return std::nullopt;
    }
    try {
        return nlohmann::json::parse(body.constData(), body.constData() + body.size());
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::optional<QString> ReplyJudge::textAt(const nlohmann::json& doc, const QString& pointer)
{
    try {
        const nlohmann::json::json_pointer ptr(pointer.toStdString());
        if (!doc.contains(ptr)) {
            return std::nullopt;
        }
        const nlohmann::json& value = doc.at(ptr);
        if (value.is_null()) {
            return std::nullopt;
        }
        if (value.is_string()) {
            return QString::fromStdString(value.get<std::string>());
        }
        if (value.is_number_integer()) {
            return QString::number(value.get<qint64>());
        }
        if (value.is_number()) {
            return QString::number(value.get<double>(), 'g', 17);
        }
        return QString::fromStdString(value.dump());
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

Verdict ReplyJudge::judge(const SuccessRule& rule, int status, const QByteArray& body)
{
    Verdict v;
    v.status = status;
    const auto doc = parseJson(body);
    if (doc && doc->is_object()) {
        if (!rule.codePointer.isEmpty()) {
            v.envelopeCode = textAt(*doc, rule.codePointer).value_or(QString());
        }
        if (auto error = textAt(*doc, QStringLiteral("/error")); error && doc->at("error").is_string()) {
            v.oauthError = *error;
        }
        if (!rule.messagePointer.isEmpty()) {
            v.message = textAt(*doc, rule.messagePointer).value_or(QString());
        }
        // The provider's own words in the standard shapes: OAuth (RFC 6749) and JSON:API error objects.
        for (const char* pointer : {"/error_description", "/errors/0/detail", "/errors/0/title"}) {
            if (v.message.isEmpty()) {
                v.message = textAt(*doc, QString::fromLatin1(pointer)).value_or(QString());
            }
        }
    }

    const bool statusOk = rule.statuses.isEmpty() ? (status >= 200 && status < 300) : rule.statuses.contains(status);
    if (!statusOk) {
        v.detail = tr("HTTP %1").arg(statusWithReason(status).remove(QStringLiteral("HTTP ")));
        if (!v.envelopeCode.isEmpty() && v.envelopeCode != rule.codeEquals) {
            v.detail += tr(", code %1").arg(v.envelopeCode);
        } else if (!v.oauthError.isEmpty()) {
            v.detail += QStringLiteral(" ") + v.oauthError;
        }
        if (!v.message.isEmpty()) {
            v.detail += QStringLiteral(" (") + v.message + QLatin1Char(')');
        }
        return v;
    }
    if (!rule.codePointer.isEmpty() && v.envelopeCode != rule.codeEquals) {
        v.detail = v.envelopeCode.isEmpty() ? tr("no %1 in the reply").arg(rule.codePointer)
                                            : tr("code %1").arg(v.envelopeCode);
        if (!v.message.isEmpty()) {
            v.detail += QStringLiteral(" (") + v.message + QLatin1Char(')');
        }
        return v;
    }
    for (const QString& pointer : rule.nonEmpty) {
        bool empty = true;
        if (doc) {
            try {
                const nlohmann::json::json_pointer ptr(pointer.toStdString());
                empty = !doc->contains(ptr) || isEmptyValue(doc->at(ptr));
            } catch (const nlohmann::json::exception&) {
                empty = true;
            }
        }
        if (empty) {
            v.emptyPointer = pointer;
            v.detail = tr("%1 is empty or missing in the reply").arg(pointer);
            return v;
        }
    }
    v.ok = true;
    return v;
}

QString ReplyJudge::hintFor(const ProviderProfile& profile, const QString& stepId, const Verdict& verdict)
{
    int bestScore = -1;
    QString best;
    for (const ErrorHint& hint : profile.hints) {
        if (!hint.step.isEmpty() && hint.step != stepId) {
            continue;
        }
        if (hint.step.isEmpty() && stepId != QLatin1String("api") && hint.status != 0 && hint.code.isEmpty()
            && hint.when.isEmpty() && profile.reauthStatuses.contains(hint.status)) {
            // "401 on an API call means the token expired" does not describe a token endpoint's 401.
            continue;
        }
        if (!hint.code.isEmpty() && hint.code != verdict.envelopeCode && hint.code != verdict.oauthError) {
            continue;
        }
        if (hint.status != 0 && hint.status != verdict.status) {
            continue;
        }
        if (!hint.when.isEmpty()) {
            const QString pointer = hint.when.mid(int(sizeof("empty:")) - 1);
            if (verdict.emptyPointer != pointer) {
                continue;
            }
        }
        const int score = (hint.when.isEmpty() ? 0 : 8) + (hint.step.isEmpty() ? 0 : 4) + (hint.code.isEmpty() ? 0 : 2)
            + (hint.status == 0 ? 0 : 1);
        if (score > bestScore) {
            bestScore = score;
            best = hint.text;
        }
    }
    if (!best.isEmpty()) {
        return best;
    }
    // The status itself is in the verdict's detail, shown beside the hint: the hint says what it means.
    if (verdict.status == 401) {
        return tr("The provider refused the credentials or the token.");
    }
    if (verdict.status == 403) {
        return tr("The provider understood the request but refused it: the credentials lack the permission or "
                  "scope this endpoint needs.");
    }
    if (verdict.status == 500) {
        return tr("The provider had an internal error; try again later.");
    }
    if (verdict.status == 502 || verdict.status == 504) {
        return tr("A gateway in front of the provider got no good answer from it; try again later.");
    }
    if (verdict.status >= 500) {
        return tr("The provider is unavailable or overloaded; try again later.");
    }
    if (!verdict.oauthError.isEmpty()) {
        return tr("The provider answered with the OAuth error \"%1\".").arg(verdict.oauthError);
    }
    if (!verdict.envelopeCode.isEmpty()) {
        return tr("The provider answered with error code %1.").arg(verdict.envelopeCode);
    }
    return tr("The provider refused the request (HTTP %1).").arg(verdict.status);
}

} // namespace keyway
