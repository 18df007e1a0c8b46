"""Published QRIS payloads to test against.

Copied from the open-source library nsNeruno/qris (MIT), test/sample_data.dart and
test/crc_test.dart at commit fd496aabd17e400aab983a734926fa47a2c35bc3 (2023-10-26).
Their CRCs check out, except SAMPLE3's: it states 5C1C but its CRC is 4AD5.
"""

SAMPLE1 = ("000201" "010211" "2661" "0014COM.GO-JEK.WWW" "0118936009143545600781" "0210G545600781"
           "0303UMI" "5144" "0014ID.CO.QRIS.WWW" "0215ID1019000002328" "0303UMI" "52045812"
           "5303360" "5802ID" "5916Kantin Ibu Lilik" "6013Jakarta Pusat" "610510310" "62070703A01"
           "63044C6B")

# The Baznas payload of test/crc_test.dart (sample2 of sample_data.dart), CRC A402.
BAZNAS = ("000201" "010211" "2655" "0016ID.CO.SHOPEE.WWW" "0118936009180000000018" "020218"
          "0303UBE" "5144" "0014ID.CO.QRIS.WWW" "0215ID2019002291555" "0303UBE" "52048398"
          "5303360" "5802ID" "5906Baznas" "6013Jakarta Pusat" "610510340" "62070703A01" "6304A402")

# A bad vector: tip indicator 55 and percentage fee 57, and a CRC that does not match (4AD5).
SAMPLE3 = ("000201" "010211" "2661" "0016ID.CO.BPDDIY.WWW" "0118936001120000001585" "020800001585"
           "0303UMI" "52045812" "5303360" "550203" "570505.00" "5802ID" "5913RM SORE MALAM"
           "6015JAKARTA SELATAN" "610515132" "62070703D01" "63045C1C")

SAMPLE4 = ("000201" "010211" "2664" "0017ID.CO.BANKBSI.WWW" "0118936004510000098533" "02100000512885"
           "0303URE" "5144" "0014ID.CO.QRIS.WWW" "0215ID1022175375800" "0303URE" "52048661"
           "5303360" "5802ID" "5916MASJID AL HIKMAH" "6008SIDOARJO" "610561254" "62070703A01"
           "630421F0")

SAMPLE5 = ("000201" "010211" "2666" "0017ID.CO.EXAMPLE.WWW" "0115936008670456789" "0215MIDCONTOH123456"
           "0303UMI" "5137" "0014ID.CO.QRIS.WWW" "0215ID1019123456781" "52041234" "5303360" "5802ID"
           "5914NamaMerchantA1" "6009NamaKota1" "61101234567890" "62070703K19" "6304B1EF")

# Carries an amount (tag 54 = 34000) although its method is 11.
SAMPLE7 = ("000201" "010211" "2667" "0018ID.CO.EXAMPLE2.WWW" "0115936000140456789" "0215MIDCONTOH123456"
           "0303UMI" "5137" "0014ID.CO.QRIS.WWW" "0215ID1019123456781" "52041234" "5303360"
           "540534000" "5802ID" "5914NamaMerchantC3" "6009NamaKota1" "61101234567890" "62070703K19"
           "63040855")

# The valid published payloads, with the CRC each states and the merchant it names.
VALID = {
    SAMPLE1: ("4C6B", "Kantin Ibu Lilik", "Jakarta Pusat"),
    BAZNAS: ("A402", "Baznas", "Jakarta Pusat"),
    SAMPLE4: ("21F0", "MASJID AL HIKMAH", "SIDOARJO"),
    SAMPLE5: ("B1EF", "NamaMerchantA1", "NamaKota1"),
    SAMPLE7: ("0855", "NamaMerchantC3", "NamaKota1"),
}
# Payloads without an amount: what a manager pastes as the outlet's static QRIS.
STATIC = [SAMPLE1, BAZNAS, SAMPLE4, SAMPLE5]
