#include "CountryPicker.h"

#include "engine/PhoneNumber.h"

#include <QApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QScreen>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace waotp {

namespace {

enum Role { RegionRole = Qt::UserRole + 1, SearchRole, CallingCodeRole };

// "+91", kept in that order in right-to-left text (not "91+").
QString callingCodeText(int callingCode)
{
    return phoneNumberInText(QString(QLatin1Char('+') + QString::number(callingCode)));
}

// Lower case without accents, so "cote" finds "Côte d’Ivoire".
QString searchKey(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_D);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            out.append(c.toLower());
    }
    return out;
}

class CountryFilter final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setQuery(const QString &query)
    {
        QString q = searchKey(query.trimmed());
        if (q.startsWith(QLatin1Char('+')))
            q.remove(0, 1);
        m_query = q;
        m_digits = !q.isEmpty();
        for (const QChar c : std::as_const(m_query))
            m_digits = m_digits && c.isDigit();
        invalidate();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        return m_query.isEmpty() || rank(sourceModel()->index(row, 0, parent)) < NoMatch;
    }

    // Best matches first: "ind" lists India before British Indian Ocean Territory.
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        const int l = rank(left);
        const int r = rank(right);
        if (l != r)
            return l < r;
        return left.row() < right.row(); // the source is sorted by name
    }

private:
    static constexpr int NoMatch = 4;

    int rank(const QModelIndex &index) const
    {
        if (m_query.isEmpty())
            return 0;
        if (m_digits) {
            const QString code = index.data(CallingCodeRole).toString();
            return code == m_query ? 0 : code.startsWith(m_query) ? 1 : NoMatch;
        }
        if (index.data(RegionRole).toString().toLower() == m_query)
            return 0;
        const QString key = index.data(SearchRole).toString();
        if (key.startsWith(m_query))
            return 1;
        const qsizetype at = key.indexOf(m_query);
        if (at < 0)
            return NoMatch;
        return key.at(at - 1).isLetterOrNumber() ? 3 : 2; // inside a word, or at a word start
    }

    QString m_query;
    bool m_digits = false;
};

// The name of @p region in its own language ("Deutschland", "भारत"), so people can find
// their country as they know it.
QString nativeName(const QString &region)
{
    const QLocale::Territory territory = QLocale::codeToTerritory(region);
    if (territory == QLocale::AnyTerritory)
        return {};
    const QLocale likely(QLocale::AnyLanguage, territory); // the territory's main language
    return likely.territory() == territory ? likely.nativeTerritoryName() : QString();
}

} // namespace

bool isKnownRegion(const QString &region)
{
    return region.size() == 2 && PhoneNumber::callingCodeForRegion(region) != 0;
}

QList<Country> allCountries()
{
    QList<Country> out;
    for (const PhoneRegion &r : PhoneNumber::supportedRegions()) {
        QString name = QLocale::territoryToString(QLocale::codeToTerritory(r.code));
        if (QLocale::codeToTerritory(r.code) == QLocale::AnyTerritory || name.isEmpty())
            name = r.code;
        out.append({r.code, name, r.callingCode});
    }
    std::sort(out.begin(), out.end(), [](const Country &a, const Country &b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    return out;
}

CountryPicker::CountryPicker(const QString &region, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("countryPicker"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_button = new QToolButton(this);
    m_button->setObjectName(QStringLiteral("countryButton"));
    m_button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_button->setFocusPolicy(Qt::StrongFocus);
    m_button->setAccessibleDescription(tr("Opens the list of countries"));
    layout->addWidget(m_button);
    setFocusProxy(m_button);
    connect(m_button, &QToolButton::clicked, this, &CountryPicker::showPopup);
    m_button->installEventFilter(this);

    // The list and its popup are built when first opened: most people never open them, and
    // building them (every region's names, the search field's icons) would delay the window.
    setRegion(region.toUpper());
    if (m_region.isEmpty())
        setRegion(QStringLiteral("IN"));
}

CountryPicker::~CountryPicker()
{
    waitForFlags(); // none may still be drawing when the application goes
    m_button->removeEventFilter(this);
    if (!m_popup)
        return;
    m_search->removeEventFilter(this);
    m_search->disconnect(this);
    m_list->disconnect(this);
}

QModelIndex CountryPicker::rowOf(const QString &region) const
{
    const QModelIndexList found =
        m_model->match(m_model->index(0, 0), RegionRole, region, 1, Qt::MatchExactly);
    return found.isEmpty() ? QModelIndex() : found.first();
}

void CountryPicker::buildModel()
{
    m_model = new QStandardItemModel(this);
    for (const Country &c : allCountries()) {
        const QString code = callingCodeText(c.callingCode);
        auto *item =
            new QStandardItem(QStringLiteral("%1   %2   %3").arg(flagFor(c.region), c.name, code));
        item->setData(c.region, RegionRole);
        // One search text: the name in the UI language, then the native name.
        item->setData(searchKey(c.name + QLatin1Char('\n') + nativeName(c.region)), SearchRole);
        item->setData(QString::number(c.callingCode), CallingCodeRole);
        item->setEditable(false);
        item->setData(tr("%1, %2").arg(c.name, code), Qt::AccessibleTextRole);
        m_model->appendRow(item);
    }
    m_proxy = new CountryFilter(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->sort(0);
}

void CountryPicker::buildPopup()
{
    buildModel();
    m_popup = new QFrame(this, Qt::Popup);
    m_popup->setObjectName(QStringLiteral("countryPopup"));
    m_popup->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(m_popup);
    layout->setContentsMargins(8, 8, 8, 8);
    m_search = new QLineEdit(m_popup);
    m_search->setObjectName(QStringLiteral("countrySearchEdit"));
    m_search->setPlaceholderText(tr("Search country or code"));
    m_search->setAccessibleName(tr("Search countries"));
    m_search->setAccessibleDescription(tr("Type a country name, a country code or a calling code"));
    m_search->setClearButtonEnabled(true);
    m_list = new QListView(m_popup);
    m_list->setObjectName(QStringLiteral("countryList"));
    m_list->setModel(m_proxy);
    m_list->setAccessibleName(tr("Countries"));
    m_list->setAccessibleDescription(tr("Choose the country of your phone number"));
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_search);
    layout->addWidget(m_list);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        static_cast<CountryFilter *>(m_proxy)->setQuery(text);
        if (m_proxy->rowCount() > 0)
            m_list->setCurrentIndex(m_proxy->index(0, 0));
    });
    connect(m_list, &QListView::activated, this, &CountryPicker::chooseCurrent);
    connect(m_list, &QListView::clicked, this, &CountryPicker::chooseCurrent);
    m_search->installEventFilter(this);
}

int CountryPicker::callingCode() const
{
    return PhoneNumber::callingCodeForRegion(m_region);
}

void CountryPicker::setRegion(const QString &region)
{
    const QString upper = region.toUpper();
    // The regions of the list: those libphonenumber has a calling code for.
    if (upper == m_region || !isKnownRegion(upper))
        return;
    m_region = upper;
    updateButton();
    Q_EMIT regionChanged(m_region);
}

void CountryPicker::updateButton()
{
    const QString name = QLocale::territoryToString(QLocale::codeToTerritory(m_region));
    const QString code = callingCodeText(callingCode());
    // The flag as an image drawn from the emoji font (see flagImage(): the window's first one
    // is drawn on another thread while the window is built); the region code without the font.
    const int pixelSize = textPixelSize(m_button->font(), m_button);
    const QIcon flag = flagIcon(m_region, pixelSize, devicePixelRatioF());
    if (flag.isNull()) {
        m_button->setIcon(QIcon());
        m_button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_button->setText(QStringLiteral("%1  %2  \u25BE").arg(m_region, code));
    } else {
        m_button->setIcon(flag);
        m_button->setIconSize(flagSize(pixelSize));
        m_button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        m_button->setText(QStringLiteral(" %1  \u25BE").arg(code));
    }
    m_button->setAccessibleName(tr("Country: %1 (%2)").arg(name, code));
    m_button->setToolTip(tr("%1 (%2)").arg(name, code));
}

void CountryPicker::showPopup()
{
    if (!m_popup)
        buildPopup();
    m_search->clear();
    static_cast<CountryFilter *>(m_proxy)->setQuery(QString());
    if (const QModelIndex row = rowOf(m_region); row.isValid()) {
        const QModelIndex current = m_proxy->mapFromSource(row);
        m_list->setCurrentIndex(current);
        m_list->scrollTo(current, QAbstractItemView::PositionAtCenter);
    }
    const int width = std::max(320, window()->width() - 48);
    const int height = std::min(420, std::max(240, window()->height() - 80));
    QPoint pos = mapToGlobal(QPoint(0, this->height()));
    if (const QScreen *s = screen()) {
        const QRect avail = s->availableGeometry();
        pos.setX(std::clamp(pos.x(), avail.left(), std::max(avail.left(), avail.right() - width)));
        pos.setY(std::clamp(pos.y(), avail.top(), std::max(avail.top(), avail.bottom() - height)));
    }
    m_popup->setGeometry(QRect(pos, QSize(width, height)));
    m_popup->show();
    m_search->setFocus(Qt::PopupFocusReason);
}

void CountryPicker::hidePopup()
{
    if (m_popup)
        m_popup->hide();
    m_button->setFocus(Qt::PopupFocusReason);
}

bool CountryPicker::isPopupVisible() const
{
    return m_popup && m_popup->isVisible();
}

void CountryPicker::chooseCurrent()
{
    const QModelIndex index = m_list->currentIndex();
    if (index.isValid())
        setRegion(index.data(RegionRole).toString());
    hidePopup();
}

bool CountryPicker::eventFilter(QObject *watched, QEvent *event)
{
    // The flag is drawn for the button's text size.
    if (watched == m_button && event->type() == QEvent::FontChange)
        updateButton();
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            chooseCurrent();
            return true;
        case Qt::Key_Escape:
            hidePopup();
            return true;
        case Qt::Key_Down:
        case Qt::Key_Up:
        case Qt::Key_PageDown:
        case Qt::Key_PageUp:
            // Move in the list while typing stays in the search field.
            QApplication::sendEvent(m_list, event);
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace waotp
