#include "core/profile/ProviderProfile.h"

namespace keyway {

const CredentialField* ProviderProfile::field(const QString& key) const
{
    for (const auto& f : fields) {
        if (f.key == key) {
            return &f;
        }
    }
    return nullptr;
}

QStringList ProviderProfile::fieldKeys() const
{
    QStringList keys;
    keys.reserve(fields.size());
    for (const auto& f : fields) {
        keys.append(f.key);
    }
    return keys;
}

const CredentialField* ProviderProfile::webhookSecretField() const
{
    return webhook ? field(webhook->secretKey) : nullptr;
}

QString ProviderProfile::defaultCredentialSet() const
{
    for (const auto& set : credentialSets) {
        if (set.isDefault) {
            return set.id;
        }
    }
    return credentialSets.isEmpty() ? QString() : credentialSets.first().id;
}

bool ProviderProfile::hasCredentialSet(const QString& setId) const
{
    for (const auto& set : credentialSets) {
        if (set.id == setId) {
            return true;
        }
    }
    return false;
}

QList<CredentialField> ProviderProfile::fieldsOfSet(const QString& setId) const
{
    QList<CredentialField> result;
    for (const auto& f : fields) {
        if (f.setId == setId || credentialSets.isEmpty()) {
            result.append(f);
        }
    }
    return result;
}

QString ProviderProfile::captureLabel(const QString& captureName) const
{
    const auto labelIn = [&captureName](const FlowStep& step) {
        for (const Capture& capture : step.captures) {
            if (capture.name == captureName && !capture.label.isEmpty()) {
                return capture.label;
            }
        }
        return QString();
    };
    for (const FlowStep& step : steps) {
        if (const QString label = labelIn(step); !label.isEmpty()) {
            return label;
        }
    }
    return refresh ? labelIn(*refresh) : QString();
}

void ProviderProfile::forEachText(const std::function<void(QString& text)>& visit)
{
    const auto visitNonEmpty = [&visit](QString& text) {
        if (!text.isEmpty()) {
            visit(text);
        }
    };
    visitNonEmpty(name);
    visitNonEmpty(summary);
    for (CredentialField& f : fields) {
        visitNonEmpty(f.label);
        visitNonEmpty(f.description);
    }
    for (CredentialSet& set : credentialSets) {
        visitNonEmpty(set.label);
        visitNonEmpty(set.description);
    }
    const auto visitStep = [&visitNonEmpty](FlowStep& step) {
        visitNonEmpty(step.title);
        visitNonEmpty(step.description);
        for (Capture& capture : step.captures) {
            visitNonEmpty(capture.label);
        }
    };
    for (FlowStep& step : steps) {
        visitStep(step);
    }
    if (refresh) {
        visitStep(*refresh);
    }
    for (ErrorHint& hint : hints) {
        visitNonEmpty(hint.text);
    }
    const auto visitSample = [&visitNonEmpty](SampleRequest& sample) {
        visitNonEmpty(sample.name);
        visitNonEmpty(sample.description);
    };
    if (check) {
        visitSample(*check);
    }
    for (SampleRequest& sample : samples) {
        visitSample(sample);
    }
}

} // namespace keyway
