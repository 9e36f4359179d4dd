"""Original administrative prose for dev2, written for this corpus (not copied from any source).

Each domain holds topics (lower-case action phrases that become subjects: ``V/v <topic>``,
``Về việc <topic>``, ``Kế hoạch <Topic>``…) and sentences of the kinds a body needs: the
situation, the aims, tasks, figures of a result and shortcomings. Placeholders in braces are
filled per document: ``{y}`` year, ``{y1}`` next year, ``{y0}`` previous year, ``{d}`` a
district short name, ``{c}`` a commune with its kind (``xã Tà Nung``), ``{n1}``…``{n4}``
small counts, ``{p1}``/``{p2}`` percentages, ``{m}`` money in million đồng, ``{ha}`` hectares.
"""

from __future__ import annotations

DOMAINS: dict[str, dict[str, list[str]]] = {
    "to_chuc": {
        "topics": [
            "rà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý nhiệm kỳ 2020 - 2025 và "
            "nhiệm kỳ 2025 - 2030",
            "điều động, luân chuyển cán bộ lãnh đạo, quản lý năm {y}",
            "đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm {y}",
            "tuyển dụng công chức cấp xã năm {y}",
            "kiện toàn chức danh Chủ tịch Ủy ban nhân dân {c}",
            "thực hiện tinh giản biên chế đợt {n1} năm {y}",
            "cử cán bộ đi học lớp trung cấp lý luận chính trị - hành chính khóa {n2}",
            "bố trí cán bộ là người dân tộc thiểu số tại chỗ",
            "sắp xếp, kiện toàn tổ chức bộ máy các phòng chuyên môn thuộc Ủy ban nhân dân huyện "
            "{d}",
            "nâng lương trước thời hạn đối với cán bộ, công chức có thành tích xuất sắc",
        ],
        "context": [
            "Thời gian qua, công tác cán bộ trên địa bàn huyện {d} được các cấp ủy quan tâm lãnh "
            "đạo, chỉ đạo thực hiện đúng nguyên tắc, quy trình.",
            "Đội ngũ cán bộ, công chức cấp xã từng bước được chuẩn hóa về trình độ chuyên môn, "
            "lý luận chính trị; tỷ lệ cán bộ trẻ, cán bộ nữ, cán bộ người dân tộc thiểu số tăng "
            "so với nhiệm kỳ trước.",
            "Tuy nhiên, ở một số xã vùng sâu, vùng xa vẫn còn thiếu cán bộ có năng lực, nhất là "
            "cán bộ làm công tác địa chính, tư pháp và kế toán.",
            "Việc đánh giá cán bộ có nơi còn nể nang, chưa gắn với kết quả thực hiện nhiệm vụ "
            "được giao.",
        ],
        "aims": [
            "Xây dựng đội ngũ cán bộ đủ về số lượng, có cơ cấu hợp lý, bảo đảm sự chuyển tiếp "
            "liên tục, vững vàng giữa các thế hệ.",
            "Phát hiện, giới thiệu những cán bộ trẻ có triển vọng để đào tạo, bồi dưỡng, tạo "
            "nguồn cán bộ cho các nhiệm kỳ tiếp theo.",
        ],
        "tasks": [
            "Các chi, đảng bộ cơ sở rà soát danh sách cán bộ trong quy hoạch, đưa ra khỏi quy "
            "hoạch những trường hợp không còn đủ tiêu chuẩn.",
            "Ban Tổ chức chủ trì, phối hợp với Phòng Nội vụ thẩm định hồ sơ nhân sự, báo cáo "
            "Ban Thường vụ trước ngày {n3} tháng {n1}.",
            "Thực hiện nghiêm quy trình lấy phiếu tín nhiệm, công khai kết quả tại hội nghị cán "
            "bộ chủ chốt.",
            "Ưu tiên bố trí cán bộ là người dân tộc thiểu số, cán bộ nữ vào các chức danh lãnh "
            "đạo ở những xã có đông đồng bào dân tộc.",
            "Kịp thời cử cán bộ trong quy hoạch đi đào tạo lý luận chính trị và quản lý nhà nước.",
        ],
        "results": [
            "Trong năm {y}, toàn huyện đã điều động, luân chuyển {n2} cán bộ, bổ nhiệm mới {n1} "
            "cán bộ lãnh đạo cấp phòng.",
            "Có {p1}% cán bộ, công chức cấp xã đạt chuẩn về trình độ chuyên môn, tăng so với "
            "năm {y0}.",
            "Kết quả đánh giá: {n3} cán bộ hoàn thành xuất sắc nhiệm vụ, {n4} cán bộ hoàn thành "
            "tốt nhiệm vụ, không có cán bộ không hoàn thành nhiệm vụ.",
        ],
        "limits": [
            "Việc luân chuyển cán bộ từ huyện về xã còn ít, chưa tạo được nhiều chuyển biến.",
            "Một số cán bộ sau đào tạo chưa được bố trí công việc phù hợp với chuyên ngành.",
        ],
    },
    "xay_dung_dang": {
        "topics": [
            "nâng cao chất lượng sinh hoạt chi bộ ở các thôn, tổ dân phố",
            "kết nạp đảng viên là người dân tộc thiểu số ở các thôn, buôn chưa có đảng viên",
            "củng cố các tổ chức cơ sở đảng yếu kém năm {y}",
            "tổ chức đại hội chi bộ trực thuộc tiến tới Đại hội Đảng bộ huyện {d} lần thứ {n1}",
            "học tập, quán triệt và triển khai thực hiện Nghị quyết Hội nghị lần thứ tư Ban Chấp "
            "hành Trung ương khóa XII về xây dựng, chỉnh đốn Đảng",
            "đánh giá, xếp loại chất lượng tổ chức cơ sở đảng và đảng viên năm {y}",
            "tổng kết {n1} năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học "
            "tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            "quản lý đảng viên đi làm ăn xa nơi cư trú",
            "thành lập chi bộ trong doanh nghiệp tư nhân trên địa bàn huyện {d}",
        ],
        "context": [
            "Năm {y}, Đảng bộ huyện {d} có {n3} tổ chức cơ sở đảng với hơn {n4} đảng viên, trong "
            "đó đảng viên là người dân tộc thiểu số chiếm {p1}%.",
            "Nội dung sinh hoạt chi bộ từng bước được đổi mới, gắn với nhiệm vụ chính trị của "
            "từng thôn, buôn và tổ dân phố.",
            "Ở một số chi bộ, sinh hoạt còn hình thức, chủ yếu thông báo tình hình, ít thảo luận "
            "những vấn đề nảy sinh ở cơ sở.",
            "Công tác phát triển đảng viên trong đồng bào dân tộc thiểu số, trong thanh niên và "
            "trong doanh nghiệp ngoài nhà nước còn gặp nhiều khó khăn.",
        ],
        "aims": [
            "Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng và chất lượng "
            "đội ngũ đảng viên.",
            "Phấn đấu đến cuối năm {y1}, trên {p2}% chi bộ sinh hoạt định kỳ có nội dung chuyên "
            "đề, không còn thôn, buôn chưa có đảng viên.",
        ],
        "tasks": [
            "Cấp ủy cơ sở phân công cấp ủy viên dự sinh hoạt với các chi bộ trực thuộc, kịp thời "
            "hướng dẫn, chấn chỉnh những chi bộ sinh hoạt chưa nền nếp.",
            "Mỗi chi bộ xây dựng kế hoạch tạo nguồn, bồi dưỡng quần chúng ưu tú, nhất là đoàn "
            "viên thanh niên và người có uy tín trong cộng đồng.",
            "Thực hiện nghiêm việc đánh giá, xếp loại đảng viên hằng năm, kiên quyết đưa ra khỏi "
            "Đảng những đảng viên không còn đủ tư cách.",
            "Ban Tổ chức tham mưu mở lớp bồi dưỡng nghiệp vụ công tác đảng cho bí thư, phó bí "
            "thư chi bộ mới được bầu.",
            "Các đảng ủy xã thường xuyên nắm tình hình tư tưởng đảng viên, giải quyết kịp thời "
            "những vướng mắc ở cơ sở.",
        ],
        "results": [
            "Toàn Đảng bộ đã kết nạp {n3} đảng viên mới, trong đó có {n2} đảng viên là người dân "
            "tộc thiểu số, đạt {p2}% chỉ tiêu nghị quyết đề ra.",
            "Có {n4} chi bộ được đánh giá hoàn thành tốt nhiệm vụ, {n1} chi bộ hoàn thành nhiệm "
            "vụ; không có chi bộ yếu kém.",
            "Đã trao {n2} Huy hiệu Đảng cho đảng viên lão thành nhân dịp kỷ niệm ngày thành lập "
            "Đảng Cộng sản Việt Nam.",
        ],
        "limits": [
            "Chất lượng sinh hoạt chuyên đề ở một số chi bộ chưa cao, nội dung còn chung chung.",
            "Việc quản lý đảng viên đi làm ăn xa có lúc chưa chặt chẽ.",
        ],
    },
    "kiem_tra": {
        "topics": [
            "kiểm tra việc thực hiện Quy định về những điều đảng viên không được làm",
            "giám sát chuyên đề đối với Ban Thường vụ Đảng ủy {c} năm {y}",
            "kiểm tra tài chính đảng tại các chi, đảng bộ cơ sở năm {y}",
            "kiểm tra khi có dấu hiệu vi phạm đối với tổ chức đảng và đảng viên",
            "công tác kiểm tra, giám sát và thi hành kỷ luật đảng {n1} tháng đầu năm {y}",
            "thanh tra việc quản lý, sử dụng vốn đầu tư xây dựng cơ bản tại huyện {d}",
            "thanh tra trách nhiệm thực hiện pháp luật về tiếp công dân, giải quyết khiếu nại, "
            "tố cáo",
            "kiểm tra việc kê khai tài sản, thu nhập của cán bộ thuộc diện Ban Thường vụ quản lý",
        ],
        "context": [
            "Thực hiện Chương trình kiểm tra, giám sát năm {y}, Ủy ban Kiểm tra đã thành lập đoàn "
            "làm việc với {n1} tổ chức đảng và {n2} đảng viên.",
            "Qua kiểm tra cho thấy các tổ chức đảng cơ bản chấp hành tốt nguyên tắc tập trung dân "
            "chủ, quy chế làm việc và chế độ sinh hoạt đảng.",
            "Bên cạnh đó, vẫn còn một số đảng viên vi phạm trong quản lý đất đai, tài chính và "
            "thực hiện chính sách dân số.",
            "Đoàn thanh tra đã làm việc trực tiếp tại trụ sở đơn vị từ ngày {n1} đến ngày {n3} "
            "tháng {n1} năm {y}.",
        ],
        "aims": [
            "Phát hiện kịp thời những ưu điểm để phát huy, chấn chỉnh những thiếu sót, khuyết "
            "điểm, không để vi phạm trở thành nghiêm trọng.",
            "Việc kiểm tra phải khách quan, công khai, đúng nguyên tắc, không làm ảnh hưởng đến "
            "hoạt động bình thường của đối tượng được kiểm tra.",
        ],
        "tasks": [
            "Đối tượng được kiểm tra chuẩn bị báo cáo bằng văn bản và hồ sơ, tài liệu có liên quan "
            "gửi đoàn kiểm tra trước ngày làm việc ít nhất năm ngày.",
            "Đoàn kiểm tra nghiên cứu hồ sơ, làm việc với tổ chức đảng, đảng viên và các tổ chức, "
            "cá nhân có liên quan.",
            "Yêu cầu tổ chức đảng được kiểm tra tổ chức kiểm điểm làm rõ trách nhiệm tập thể, cá "
            "nhân đối với những hạn chế đã được chỉ ra.",
            "Ủy ban Kiểm tra cấp dưới thường xuyên báo cáo tiến độ khắc phục, gửi về cơ quan "
            "thường trực trước ngày {n3} hằng tháng.",
            "Thu hồi nộp ngân sách nhà nước số tiền {m} triệu đồng chi sai chế độ.",
        ],
        "results": [
            "Đã kiểm tra {n2} tổ chức đảng và {n3} đảng viên khi có dấu hiệu vi phạm; kết luận "
            "{n1} đảng viên có vi phạm đến mức phải thi hành kỷ luật.",
            "Thi hành kỷ luật {n1} đảng viên bằng hình thức khiển trách, {n1} đảng viên bằng hình "
            "thức cảnh cáo.",
            "Qua kiểm tra tài chính đảng đã phát hiện và yêu cầu thu nộp {m} triệu đồng đảng phí "
            "còn thiếu.",
        ],
        "limits": [
            "Một số ủy ban kiểm tra đảng ủy cơ sở chưa chủ động phát hiện vi phạm, còn trông chờ "
            "cấp trên.",
            "Hồ sơ kiểm tra ở một số nơi lập chưa đầy đủ, lưu trữ chưa đúng quy định.",
        ],
    },
    "ngan_sach": {
        "topics": [
            "giao dự toán thu, chi ngân sách nhà nước năm {y}",
            "phân bổ kinh phí thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm {y}",
            "quyết toán ngân sách huyện {d} năm {y0}",
            "bổ sung kinh phí mua sắm trang thiết bị cho các trường học vùng đồng bào dân tộc",
            "thực hành tiết kiệm, chống lãng phí trong chi thường xuyên năm {y}",
            "điều chỉnh kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025",
            "quy định mức chi hỗ trợ cán bộ không chuyên trách ở thôn, tổ dân phố",
            "thu, nộp, quản lý và sử dụng đảng phí năm {y}",
        ],
        "context": [
            "Tổng thu ngân sách nhà nước trên địa bàn năm {y0} đạt {m} triệu đồng, vượt {p1}% dự "
            "toán được giao.",
            "Nguồn thu chủ yếu từ thuế sử dụng đất, tiền cấp quyền sử dụng đất và thu từ khu vực "
            "kinh tế ngoài quốc doanh.",
            "Chi ngân sách cơ bản bảo đảm các nhiệm vụ chi thường xuyên, chi an sinh xã hội và chi "
            "cho sự nghiệp giáo dục.",
            "Tiến độ giải ngân vốn đầu tư công ở một số dự án còn chậm do vướng mắc bồi thường, "
            "giải phóng mặt bằng.",
        ],
        "aims": [
            "Quản lý ngân sách chặt chẽ, công khai, minh bạch, đúng dự toán và đúng chế độ.",
            "Ưu tiên bố trí vốn cho các công trình giao thông nông thôn, trường học và nước sinh "
            "hoạt ở các xã khó khăn.",
        ],
        "tasks": [
            "Các đơn vị dự toán lập báo cáo quyết toán theo đúng mẫu biểu, gửi Phòng Tài chính - "
            "Kế hoạch trước ngày {n3} tháng {n1} năm {y1}.",
            "Kho bạc Nhà nước kiểm soát chặt chẽ các khoản chi, kiên quyết từ chối thanh toán "
            "những khoản chi không đúng chế độ.",
            "Tiết kiệm {p1}% chi thường xuyên để tạo nguồn cải cách tiền lương theo quy định.",
            "Chủ đầu tư đẩy nhanh tiến độ thi công, hoàn thiện hồ sơ thanh toán khối lượng hoàn "
            "thành.",
            "Công khai dự toán và quyết toán ngân sách tại trụ sở và trên trang thông tin điện tử "
            "của đơn vị.",
        ],
        "results": [
            "Tổng dự toán chi ngân sách địa phương năm {y} là {m} triệu đồng, trong đó chi đầu tư "
            "phát triển chiếm {p1}%.",
            "Đến ngày {n3} tháng {n1}, tỷ lệ giải ngân vốn đầu tư công đạt {p2}% kế hoạch.",
            "Đã thẩm định quyết toán {n3} dự án hoàn thành với tổng giá trị {m} triệu đồng.",
        ],
        "limits": [
            "Một số đơn vị lập dự toán còn chậm, chưa sát với nhiệm vụ được giao.",
            "Công tác thu nợ đọng thuế đạt thấp.",
        ],
    },
    "nong_nghiep": {
        "topics": [
            "tái canh cây cà phê trên địa bàn huyện {d} giai đoạn 2021 - 2025",
            "phát triển nông nghiệp ứng dụng công nghệ cao tại Đơn Dương, Đức Trọng và Lạc Dương",
            "phòng, chống bệnh dịch tả lợn châu Phi",
            "chuyển đổi cây trồng kém hiệu quả sang trồng cây ăn quả trên đất dốc",
            "phát triển cây chè và dâu tằm tại Bảo Lộc, Bảo Lâm",
            "xây dựng nông thôn mới và nông thôn mới nâng cao năm {y}",
            "hỗ trợ nông dân bị thiệt hại do mưa đá, lốc xoáy tại {c}",
            "cấp mã số vùng trồng cho sầu riêng, cà phê xuất khẩu",
        ],
        "context": [
            "Tổng diện tích gieo trồng năm {y0} đạt hơn {ha} ha, trong đó diện tích ứng dụng công "
            "nghệ cao chiếm {p1}%.",
            "Nhiều vườn cà phê đã già cỗi, năng suất thấp, cần được tái canh bằng giống mới có "
            "năng suất, chất lượng cao.",
            "Giá nông sản biến động thất thường, thị trường tiêu thụ chưa ổn định, ảnh hưởng đến "
            "thu nhập của nông dân.",
            "Trong tháng {n1}, mưa lớn kéo dài đã làm hư hại nhiều diện tích rau, hoa và cây lâu "
            "năm của nhân dân.",
        ],
        "aims": [
            "Nâng cao giá trị sản xuất trên một đơn vị diện tích, phấn đấu đạt {m} triệu đồng/ha "
            "vào năm {y1}.",
            "Hình thành các vùng sản xuất tập trung gắn với liên kết tiêu thụ sản phẩm.",
        ],
        "tasks": [
            "Phòng Nông nghiệp và Phát triển nông thôn hướng dẫn nông dân lựa chọn giống, áp dụng "
            "quy trình kỹ thuật canh tác phù hợp.",
            "Ủy ban nhân dân các xã rà soát, thống kê diện tích bị thiệt hại, lập danh sách hộ đề "
            "nghị hỗ trợ.",
            "Tăng cường kiểm tra, kiểm soát việc vận chuyển, giết mổ gia súc, không để dịch bệnh "
            "lây lan.",
            "Khuyến khích hợp tác xã, tổ hợp tác liên kết với doanh nghiệp để bao tiêu sản phẩm.",
            "Lồng ghép các nguồn vốn để hỗ trợ xây dựng hệ thống tưới tiết kiệm nước.",
        ],
        "results": [
            "Đã tái canh được {ha} ha cà phê, đạt {p2}% kế hoạch năm.",
            "Toàn huyện có {n3} xã đạt chuẩn nông thôn mới, {n1} xã đạt chuẩn nông thôn mới nâng "
            "cao.",
            "Đã hỗ trợ {n4} hộ bị thiệt hại với tổng kinh phí {m} triệu đồng.",
        ],
        "limits": [
            "Liên kết sản xuất giữa nông dân và doanh nghiệp còn lỏng lẻo.",
            "Nguồn vốn hỗ trợ tái canh chưa đáp ứng nhu cầu của người dân.",
        ],
    },
    "giao_duc": {
        "topics": [
            "tuyển sinh vào lớp 10 trung học phổ thông năm học {y} - {y1}",
            "phổ cập giáo dục mầm non cho trẻ em năm tuổi",
            "dạy tiếng K'Ho cho học sinh tiểu học ở các xã vùng đồng bào dân tộc",
            "bố trí giáo viên cho các điểm trường lẻ năm học {y} - {y1}",
            "kiểm tra cơ sở vật chất trường học trước năm học mới",
            "xây dựng trường đạt chuẩn quốc gia giai đoạn {y} - {y1}",
            "tổ chức kỳ thi chọn học sinh giỏi cấp tỉnh lớp 12",
        ],
        "context": [
            "Năm học {y0} - {y}, toàn tỉnh có {n4} trường học với hơn {m} học sinh các cấp.",
            "Tỷ lệ huy động trẻ em năm tuổi ra lớp đạt {p2}%, tỷ lệ học sinh bỏ học giảm so với "
            "năm học trước.",
            "Ở các xã vùng sâu, nhiều điểm trường lẻ còn thiếu phòng học, nhà công vụ cho giáo "
            "viên.",
            "Một bộ phận học sinh người dân tộc thiểu số còn hạn chế về tiếng Việt khi vào lớp "
            "một.",
        ],
        "aims": [
            "Bảo đảm mọi trẻ em trong độ tuổi được đến trường, không để học sinh bỏ học vì hoàn "
            "cảnh khó khăn.",
            "Nâng cao chất lượng dạy và học, nhất là ở các trường vùng đồng bào dân tộc thiểu số.",
        ],
        "tasks": [
            "Các trường rà soát số học sinh trong độ tuổi, lập kế hoạch tuyển sinh gửi Phòng Giáo "
            "dục và Đào tạo trước ngày {n3} tháng {n1}.",
            "Tổ chức tăng cường tiếng Việt cho trẻ mẫu giáo người dân tộc thiểu số trước khi vào "
            "lớp một.",
            "Sửa chữa phòng học xuống cấp, bổ sung bàn ghế, thiết bị dạy học tối thiểu.",
            "Phối hợp với chính quyền thôn, buôn vận động học sinh bỏ học trở lại lớp.",
            "Bồi dưỡng giáo viên dạy tiếng dân tộc theo chương trình của Bộ Giáo dục và Đào tạo.",
        ],
        "results": [
            "Kỳ thi tuyển sinh có {n4} thí sinh dự thi, tỷ lệ trúng tuyển đạt {p2}%.",
            "Đã có {n3} trường đạt chuẩn quốc gia, tăng {n1} trường so với năm học trước.",
            "Có {n2} học sinh đạt giải trong kỳ thi học sinh giỏi cấp tỉnh.",
        ],
        "limits": [
            "Cơ sở vật chất một số điểm trường còn tạm bợ.",
            "Đội ngũ giáo viên thừa, thiếu cục bộ giữa các cấp học.",
        ],
    },
    "dan_toc": {
        "topics": [
            "hỗ trợ đất sản xuất, nước sinh hoạt cho hộ đồng bào dân tộc thiểu số nghèo",
            "thăm, tặng quà người có uy tín trong đồng bào dân tộc thiểu số dịp Tết Nguyên đán "
            "năm {y}",
            "thực hiện Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào "
            "dân tộc thiểu số và miền núi năm {y}",
            "công tác dân vận ở vùng đồng bào dân tộc thiểu số",
            "bảo tồn và phát huy không gian văn hóa cồng chiêng Tây Nguyên",
            "phòng ngừa tảo hôn và hôn nhân cận huyết thống trong đồng bào dân tộc thiểu số",
            "tổ chức Đại hội đại biểu các dân tộc thiểu số huyện {d} lần thứ {n1}",
        ],
        "context": [
            "Huyện {d} có {n2} dân tộc cùng sinh sống, trong đó đồng bào K'Ho, Mạ, Churu chiếm "
            "{p1}% dân số.",
            "Đời sống vật chất, tinh thần của đồng bào từng bước được cải thiện, tỷ lệ hộ nghèo "
            "giảm còn {p1}%.",
            "Tình trạng thiếu đất sản xuất, thiếu nước sinh hoạt vẫn còn ở một số buôn thuộc xã "
            "{c}.",
            "Người có uy tín đã phát huy vai trò trong vận động đồng bào chấp hành chủ trương của "
            "Đảng, chính sách, pháp luật của Nhà nước.",
        ],
        "aims": [
            "Góp phần giảm nghèo nhanh và bền vững, thu hẹp khoảng cách giữa vùng đồng bào dân tộc "
            "với các vùng khác trong tỉnh.",
            "Củng cố khối đại đoàn kết các dân tộc, giữ vững an ninh chính trị ở cơ sở.",
        ],
        "tasks": [
            "Ban Dân tộc chủ trì, phối hợp với Ủy ban nhân dân các huyện rà soát đối tượng thụ "
            "hưởng chính sách.",
            "Ủy ban nhân dân cấp xã công khai danh sách hộ được hỗ trợ tại nhà văn hóa thôn, buôn.",
            "Mặt trận Tổ quốc và các đoàn thể tăng cường tuyên truyền, vận động đồng bào không "
            "nghe theo kẻ xấu.",
            "Ưu tiên nguồn vốn xây dựng công trình nước tập trung tại các buôn khó khăn.",
            "Tổ chức gặp mặt, tặng quà {n3} người có uy tín với mức {n1}00.000 đồng/người.",
        ],
        "results": [
            "Đã hỗ trợ {ha} ha đất sản xuất cho {n3} hộ, xây dựng {n1} công trình nước sinh hoạt "
            "tập trung.",
            "Tỷ lệ hộ nghèo đồng bào dân tộc thiểu số giảm {p1}% so với đầu năm.",
            "Đã mở {n2} lớp truyền dạy đánh cồng chiêng cho thanh thiếu niên.",
        ],
        "limits": [
            "Một số hộ sau khi được hỗ trợ đất đã sang nhượng trái phép.",
            "Công trình nước sinh hoạt ở vài nơi hư hỏng, chậm được sửa chữa.",
        ],
    },
    "rung": {
        "topics": [
            "tăng cường quản lý, bảo vệ rừng và phòng cháy, chữa cháy rừng mùa khô {y} - {y1}",
            "giao khoán bảo vệ rừng cho hộ gia đình, cộng đồng dân cư thôn",
            "xử lý các vụ phá rừng, lấn chiếm đất lâm nghiệp trái pháp luật tại {c}",
            "chi trả dịch vụ môi trường rừng năm {y}",
            "trồng rừng thay thế và trồng cây phân tán năm {y}",
        ],
        "context": [
            "Diện tích rừng trên địa bàn huyện {d} là {ha} ha, tỷ lệ che phủ rừng đạt {p2}%.",
            "Mùa khô năm nay được dự báo kéo dài, nguy cơ xảy ra cháy rừng ở mức cao.",
            "Tình trạng phá rừng, lấn chiếm đất rừng để trồng cà phê, sầu riêng vẫn diễn ra phức "
            "tạp ở vùng giáp ranh.",
        ],
        "aims": [
            "Giữ vững diện tích rừng hiện có, giảm số vụ vi phạm Luật Lâm nghiệp so với năm trước.",
            "Nâng cao trách nhiệm của chủ rừng và chính quyền cấp xã trong quản lý, bảo vệ rừng.",
        ],
        "tasks": [
            "Chủ rừng bố trí lực lượng trực phòng cháy, chữa cháy rừng 24/24 giờ trong các tháng "
            "cao điểm.",
            "Hạt Kiểm lâm phối hợp với Công an huyện điều tra, xử lý nghiêm các đối tượng phá "
            "rừng.",
            "Ủy ban nhân dân các xã tổ chức cho hộ dân sống gần rừng ký cam kết bảo vệ rừng.",
            "Thu hồi diện tích rừng bị lấn chiếm để trồng lại rừng trong mùa mưa năm {y1}.",
        ],
        "results": [
            "Đã phát hiện, lập biên bản {n3} vụ vi phạm, thiệt hại {ha} ha rừng.",
            "Đã giao khoán bảo vệ {ha} ha rừng cho {n4} hộ với số tiền chi trả {m} triệu đồng.",
        ],
        "limits": [
            "Lực lượng bảo vệ rừng chuyên trách còn mỏng so với diện tích được giao.",
            "Việc xử lý một số vụ vi phạm còn kéo dài.",
        ],
    },
    "van_thu": {
        "topics": [
            "chỉnh lý tài liệu tồn đọng tại các cơ quan, đơn vị năm {y}",
            "số hóa tài liệu lưu trữ lịch sử của tỉnh giai đoạn {y} - {y1}",
            "lập hồ sơ công việc và nộp lưu hồ sơ, tài liệu vào Lưu trữ cơ quan",
            "ứng dụng chữ ký số trong gửi, nhận văn bản điện tử",
            "thực hiện công tác cải cách hành chính năm {y}",
            "bảo vệ bí mật nhà nước trong soạn thảo, lưu giữ tài liệu mật",
            "thu thập hồ sơ, tài liệu của các cơ quan giải thể vào Lưu trữ lịch sử",
        ],
        "context": [
            "Khối lượng tài liệu tồn đọng chưa được chỉnh lý tại các cơ quan còn khoảng {n4} mét "
            "giá, chủ yếu là tài liệu giai đoạn 2005 - 2015.",
            "Nhiều cơ quan chưa bố trí kho lưu trữ đạt chuẩn, tài liệu để tại phòng làm việc dễ bị "
            "hư hỏng, thất lạc.",
            "Việc gửi, nhận văn bản điện tử có ký số giữa các cơ quan đã đi vào nền nếp, giảm đáng "
            "kể chi phí in ấn.",
            "Một số cán bộ, công chức chưa nắm vững quy định về độ mật và thủ tục sao, chụp tài "
            "liệu mật.",
        ],
        "aims": [
            "Đến hết năm {y1}, giải quyết cơ bản tài liệu tồn đọng, tích đống tại các cơ quan.",
            "Tài liệu sau chỉnh lý được sắp xếp khoa học, có công cụ tra cứu và được số hóa phục "
            "vụ "
            "khai thác.",
        ],
        "tasks": [
            "Các cơ quan thống kê khối lượng tài liệu tồn đọng, bố trí kinh phí chỉnh lý trong dự "
            "toán năm {y1}.",
            "Văn thư cơ quan kiểm tra thể thức văn bản trước khi trình ký và phát hành.",
            "Lưu trữ lịch sử tỉnh hướng dẫn nghiệp vụ, tiếp nhận hồ sơ nộp lưu theo danh mục.",
            "Người được giao soạn thảo tài liệu mật phải đề xuất độ mật ngay khi dự thảo.",
            "Thực hiện số hóa theo thứ tự ưu tiên đối với tài liệu có giá trị sử dụng thường "
            "xuyên.",
        ],
        "results": [
            "Đã chỉnh lý {n4} mét giá tài liệu, lập {m} hồ sơ, loại ra {n3} mét giá tài liệu hết "
            "giá trị.",
            "Tỷ lệ văn bản điện tử có ký số gửi, nhận qua hệ thống đạt {p2}%.",
            "Đã số hóa {m} trang tài liệu của các phông lưu trữ cơ quan Đảng.",
        ],
        "limits": [
            "Kinh phí bố trí cho công tác lưu trữ còn hạn chế.",
            "Chất lượng lập hồ sơ công việc ở một số phòng chuyên môn chưa đạt yêu cầu.",
        ],
    },
    "noi_chinh": {
        "topics": [
            "phòng, chống tham nhũng, tiêu cực năm {y}",
            "tiếp công dân, giải quyết khiếu nại, tố cáo kéo dài tại huyện {d}",
            "bảo đảm an ninh, trật tự dịp Tết Nguyên đán và mùa lễ hội năm {y}",
            "tuyên truyền, phổ biến, giáo dục pháp luật cho đồng bào vùng sâu, vùng xa",
            "xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc",
            "phòng, chống tội phạm ma túy trên địa bàn thành phố Đà Lạt",
        ],
        "context": [
            "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn cơ bản ổn định.",
            "Trong kỳ, các cơ quan đã tiếp {n4} lượt công dân, tiếp nhận {n3} đơn thư, chủ yếu "
            "liên "
            "quan đến tranh chấp đất đai.",
            "Một số vụ việc khiếu nại đông người, kéo dài chưa được giải quyết dứt điểm.",
            "Hoạt động lợi dụng tôn giáo, tuyên truyền trái phép ở một số buôn vùng sâu vẫn còn "
            "tiềm ẩn.",
        ],
        "aims": [
            "Giữ vững an ninh chính trị, không để xảy ra điểm nóng, bảo đảm cho nhân dân vui xuân "
            "an toàn.",
            "Giải quyết dứt điểm các vụ việc khiếu nại ngay từ cơ sở, đúng thẩm quyền và thời hạn.",
        ],
        "tasks": [
            "Công an huyện xây dựng phương án bảo đảm an ninh, trật tự, bố trí lực lượng trực tại "
            "các điểm lễ hội.",
            "Thủ trưởng các cơ quan trực tiếp tiếp công dân định kỳ theo quy định.",
            "Kê khai, công khai bản kê khai tài sản, thu nhập đúng thời hạn.",
            "Xử lý nghiêm cán bộ, công chức có hành vi nhũng nhiễu, gây phiền hà cho người dân.",
            "Tăng cường tuyên truyền pháp luật bằng tiếng dân tộc thông qua già làng, người có uy "
            "tín.",
        ],
        "results": [
            "Đã giải quyết {n3}/{n4} đơn thuộc thẩm quyền, đạt {p2}%.",
            "Phát hiện {n1} vụ việc có dấu hiệu tham nhũng, chuyển cơ quan điều tra {n1} vụ.",
            "Triệt phá {n2} tụ điểm tổ chức sử dụng trái phép chất ma túy.",
        ],
        "limits": [
            "Chất lượng giải quyết khiếu nại ở cấp xã còn hạn chế.",
            "Việc phát hiện tham nhũng qua tự kiểm tra nội bộ còn ít.",
        ],
    },
    "van_hoa": {
        "topics": [
            "tổ chức Festival Hoa Đà Lạt lần thứ {n1}",
            "kỷ niệm {n4} năm Ngày thành lập Đảng bộ tỉnh Lâm Đồng",
            "tổ chức các hoạt động mừng Đảng, mừng Xuân năm {y}",
            "phát triển du lịch cộng đồng gắn với bảo tồn văn hóa dân tộc K'Ho tại Lạc Dương",
            "xây dựng gia đình văn hóa, thôn, buôn văn hóa năm {y}",
            "tuyên truyền kỷ niệm các ngày lễ lớn của đất nước năm {y}",
        ],
        "context": [
            "Thành phố Đà Lạt mỗi năm đón hàng triệu lượt du khách, trong đó khách quốc tế chiếm "
            "khoảng {p1}%.",
            "Phong trào xây dựng đời sống văn hóa ở khu dân cư được nhân dân hưởng ứng tích cực.",
            "Nhiều nghề truyền thống như dệt thổ cẩm, đan lát của đồng bào K'Ho có nguy cơ mai "
            "một.",
        ],
        "aims": [
            "Quảng bá hình ảnh Lâm Đồng an toàn, thân thiện, mến khách.",
            "Tạo không khí vui tươi, phấn khởi trong các tầng lớp nhân dân.",
        ],
        "tasks": [
            "Sở Văn hóa, Thể thao và Du lịch chủ trì xây dựng kịch bản chương trình nghệ thuật.",
            "Các địa phương trang trí cờ, hoa, băng rôn trên các tuyến đường chính.",
            "Bảo đảm an ninh, an toàn giao thông, vệ sinh môi trường trong thời gian tổ chức.",
            "Hỗ trợ các nghệ nhân mở lớp truyền dạy dệt thổ cẩm cho thanh niên.",
        ],
        "results": [
            "Trong dịp lễ đã đón khoảng {m} lượt khách, tổng doanh thu du lịch ước đạt {m} triệu "
            "đồng.",
            "Có {p2}% hộ gia đình đạt danh hiệu gia đình văn hóa.",
        ],
        "limits": [
            "Sản phẩm du lịch còn trùng lặp, chưa khai thác hết lợi thế của địa phương.",
        ],
    },
    "y_te": {
        "topics": [
            "phòng, chống dịch bệnh COVID-19 trong tình hình mới",
            "tiêm chủng mở rộng cho trẻ em dưới một tuổi năm {y}",
            "phòng, chống sốt xuất huyết tại các huyện phía Nam của tỉnh",
            "vận động người dân tham gia bảo hiểm y tế hộ gia đình",
            "bảo đảm an toàn thực phẩm trong mùa du lịch năm {y}",
        ],
        "context": [
            "Từ đầu năm đến nay, toàn tỉnh ghi nhận {n4} ca mắc sốt xuất huyết, tập trung ở Đạ "
            "Huoai, Đạ Tẻh và Cát Tiên.",
            "Tỷ lệ người dân tham gia bảo hiểm y tế đạt {p2}% dân số, thấp hơn chỉ tiêu được giao.",
            "Mạng lưới y tế cơ sở được củng cố, {p2}% trạm y tế xã có bác sĩ làm việc.",
        ],
        "aims": [
            "Chủ động phát hiện sớm, khoanh vùng và xử lý kịp thời ổ dịch, không để dịch lan rộng.",
            "Bảo vệ sức khỏe nhân dân, nhất là trẻ em và người cao tuổi.",
        ],
        "tasks": [
            "Trung tâm Y tế huyện tổ chức phun hóa chất diệt muỗi tại các khu vực có ca bệnh.",
            "Trạm y tế xã lập danh sách trẻ trong độ tuổi tiêm chủng, thông báo lịch tiêm đến từng "
            "hộ gia đình.",
            "Kiểm tra các cơ sở kinh doanh dịch vụ ăn uống, xử lý nghiêm các vi phạm.",
            "Bảo hiểm xã hội huyện phối hợp với các đoàn thể vận động người dân mua thẻ bảo hiểm y "
            "tế.",
        ],
        "results": [
            "Tỷ lệ trẻ em dưới một tuổi được tiêm chủng đầy đủ đạt {p2}%.",
            "Đã kiểm tra {n4} cơ sở thực phẩm, xử phạt {n2} cơ sở với số tiền {m} triệu đồng.",
        ],
        "limits": [
            "Nhân lực y tế tuyến xã còn thiếu, nhất là bác sĩ.",
        ],
    },
    "dat_dai": {
        "topics": [
            "giải quyết tranh chấp đất đai giữa các hộ dân tại thôn {n1}, {c}",
            "thu hồi đất để thực hiện dự án hồ chứa nước tại huyện {d}",
            "cấp giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân",
            "quản lý đất công do Ủy ban nhân dân cấp xã quản lý",
            "xử lý tình trạng phân lô, tách thửa, xây dựng trái phép trên đất nông nghiệp",
        ],
        "context": [
            "Tình trạng tự ý phân lô, tách thửa đất nông nghiệp để bán nền diễn ra ở nhiều nơi, "
            "nhất là ven thành phố Đà Lạt và Bảo Lộc.",
            "Toàn huyện còn {n4} hồ sơ đề nghị cấp giấy chứng nhận chưa được giải quyết.",
            "Dự án có tổng diện tích thu hồi khoảng {ha} ha, ảnh hưởng đến {n4} hộ dân.",
        ],
        "aims": [
            "Quản lý chặt chẽ quỹ đất, sử dụng đất đúng quy hoạch, kế hoạch được duyệt.",
            "Bảo đảm quyền lợi hợp pháp của người có đất bị thu hồi.",
        ],
        "tasks": [
            "Văn phòng Đăng ký đất đai rà soát hồ sơ tồn đọng, giải quyết theo thứ tự tiếp nhận.",
            "Hội đồng bồi thường công khai phương án bồi thường, hỗ trợ, tái định cư.",
            "Ủy ban nhân dân cấp xã kiểm tra, ngăn chặn kịp thời các trường hợp xây dựng trái "
            "phép.",
            "Tổ chức đối thoại với các hộ dân chưa đồng thuận với phương án bồi thường.",
        ],
        "results": [
            "Đã cấp {n4} giấy chứng nhận với diện tích {ha} ha.",
            "Đã chi trả tiền bồi thường cho {n3} hộ với tổng số tiền {m} triệu đồng.",
        ],
        "limits": [
            "Hồ sơ địa chính ở một số xã chưa được cập nhật biến động.",
        ],
    },
}
